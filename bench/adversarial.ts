/**
 * Inputs built to find the engine's worst cases, each under the 2 MB limit (larger files get one
 * diagnostic instead of analysis): thousands of lines the parser joins into one logical line,
 * thousands of ranges over thousands of articles, one paragraph of thousands of lines, thousands
 * of annexes and of defined terms, thousands of articles all numbered 第1条, deep brackets, one
 * run of characters without punctuation. The bench runs them through the CLI
 * (time and peak RSS): each must stay within seconds and a few hundred MiB, growing with the
 * size of the text, not with its square. Found 2026-12-07: the first took 36.7 s (a parser step
 * quadratic in the lines of a logical line), the second 857 MiB in the CLI and a 1.7 GB heap in
 * the server (every range kept a copy of the articles it covers), the third more than 120 s (each
 * line appended to the paragraph's body by copying it; each sentence's tokens searched from the
 * block's first), the fourth 2.9 s at half its size (every annex reference filtered every
 * annex), the fifth 5.5 s (each term's first use searched from the start of its part).
 */

export interface Adversarial {
  name: string;
  text: string;
}

function lines(n: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(line(i));
  return out.join('\n') + '\n';
}

export function adversarialInputs(): Adversarial[] {
  return [
    {
      name: '45,000 numbered items of one width, no 。 (read as one wrapped logical line)',
      text: lines(45_000, (i) => `(${i + 1}) 第${i + 3}条第${(i % 7) + 1}項に規定する`),
    },
    {
      name: '20,000 articles, each with a range 第a条から第b条まで over thousands of them',
      text: lines(20_000, (i) => `第${20_000 - i}条 前条及び第${(i * 7) % 20_000}条から第${(i * 3) % 20_000}条までの規定を準用する。`),
    },
    {
      name: 'one article of 35,000 numbered lines, read as its last paragraph’s text past 999',
      text: '第1条 甲は、次のとおりとする。\n' + lines(35_000, (i) => `${i + 2} 乙は、第1条の規定により報告する。`),
    },
    {
      name: '15,000 annexes, each citing the next',
      text: lines(15_000, (i) => `別紙${i + 1}\n受託者向け情報セキュリティ遵守事項${i}\n１ 趣旨\n本紙は別紙${i + 2}を参照する。`),
    },
    {
      name: '15,000 articles, each defining a term 「語N」 and using the next',
      text: lines(15_000, (i) => `第${i + 1}条 この契約において、「用語${i}」（以下「語${i}」という。）とは、語${i + 1}をいう。`),
    },
    {
      // each 前各条 listed every article before it as a target (and the server's reference memo
      // kept their places): 1.8 GB; now at most MAX_LISTED_TARGETS (refs/resolve.ts)
      name: '20,000 articles, each citing 前各条 (every article before it)',
      text: lines(20_000, (i) => `第${i + 1}条 前各条の規定は、乙に準用する。`),
    },
    {
      name: '80,000 articles all numbered 第1条',
      text: lines(80_000, () => '第1条 甲は乙に'),
    },
    {
      name: '300,000 nested （ then their ）, one line',
      text: '（'.repeat(300_000) + '）'.repeat(300_000) + '\n',
    },
    {
      name: '600,000 kanji without punctuation or white space, one line',
      text: '機密情報取扱'.repeat(100_000) + '\n',
    },
  ];
}

/**
 * A revision of an input for `keiyaku-lint diff`: every third line changed (its first は made が,
 * 追記 appended), so that thousands of siblings change at once. Comparing them scored every
 * changed unit of one side against every one of the other: 20,000 articles with ranges 124 s and
 * 1.9 GB, 15,000 annexes a crash (an array past V8's largest size); now bounded (align.ts,
 * PAIR_BUDGET).
 */
export function revisedEveryThirdLine(text: string): string {
  return text
    .split('\n')
    .map((l, i) => (i % 3 === 1 ? l.replace('は', 'が') + '追記' : l))
    .join('\n');
}
