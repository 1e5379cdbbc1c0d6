/**
 * A large synthetic contract for the benchmarks, built from the 特記事項 template:
 *
 *   - the template's twenty articles copied again and again, renumbered 第１ … 第 N (the
 *     template's own style: full-width below ten, "第 10" above), with the references inside each
 *     copy (第３と同等, 第５により, 第 12（…）, 特記事項第６) renumbered with them, so that they
 *     still resolve;
 *   - small edits that make every copy different (so the token cache cannot answer everything from
 *     a few strings) and give the clause and style rules something to find: 直ちに → 速やかに,
 *     しなければならない → ものとする, an added ただし sentence, a dropped あらかじめ, a paragraph
 *     deleted, a typo, half-width digits;
 *   - then the annexes: the 別紙 repeated as 別紙１, 別紙２ … (about a fifth of the text), and the
 *     別記様式 once at the end.
 *
 * Deterministic: the same size gives the same text.
 */
import { TOKKI_TEXT } from '../server/src/engine/templates/data/tokki';

const FW = '０１２３４５６７８９';

function fullWidth(n: number): string {
  return String(n).replace(/[0-9]/g, (d) => FW[Number(d)]);
}

/** An article number in the template's style: 第１ … 第９, then 第 10. */
function articleNumber(n: number): string {
  return n < 10 ? `第${fullWidth(n)}` : `第 ${n}`;
}

function toInt(digits: string): number {
  return Number(digits.replace(/[０-９]/g, (d) => String(FW.indexOf(d))));
}

const TEMPLATE_LINES = TOKKI_TEXT.split('\n');
const ANNEX_START = TEMPLATE_LINES.indexOf('別紙');
const FORM_START = TEMPLATE_LINES.indexOf('別記様式');
/** 見出し + articles (the lines after the title, before 別紙). */
const ARTICLE_LINES = TEMPLATE_LINES.slice(2, ANNEX_START);
const ANNEX_LINES = TEMPLATE_LINES.slice(ANNEX_START + 1, FORM_START);
const FORM_LINES = TEMPLATE_LINES.slice(FORM_START);
const ARTICLES_PER_COPY = 20;

/**
 * Renumbers references to the template's own articles (第３, 第 12, 特記事項第６) by `base`;
 * leaves 第１章, 第２条, 第 86 号 (other documents and statutes) alone.
 */
function renumberReferences(line: string, base: number): string {
  return line.replace(/第\s?([0-9０-９]{1,2})(?![0-9０-９章条号項])/g, (whole, digits: string, offset: number) => {
    const n = toInt(digits);
    if (n < 1 || n > ARTICLES_PER_COPY) return whole;
    if (line[offset - 1] === '章') return whole; // 機密情報取扱特記事項第１章第１: another document
    return articleNumber(base + n);
  });
}

/** One copy of the articles, numbered from base + 1, with the edits of copy `k`. */
function articleCopy(k: number, base: number): string[] {
  const out: string[] = [];
  let article = 0;
  for (const line of ARTICLE_LINES) {
    let l = line;
    const m = /^第\s?([0-9０-９]+)\s/.exec(l);
    if (m) {
      article = toInt(m[1]);
      l = articleNumber(base + article) + renumberReferences(l.slice(m[0].length - 1), base);
    } else {
      l = renumberReferences(l, base);
    }
    // Every copy is different: its own work item, so paragraphs are not repeated verbatim. The
    // item is named as an aside (案件 N), not as 第N号, which would cite an item that does not
    // exist and make every paragraph a broken reference.
    l = l.replace(/本件業務/g, `本件業務（案件${k + 1}）`).replace(/(?<!件)本業務/g, `本業務（案件${k + 1}）`);
    if (k % 3 === 1) l = l.replace('直ちに', '速やかに');
    if (k % 4 === 2 && article === 3) l = l.replace('行うものとする', '行うよう努めるものとする');
    if (k % 5 === 3 && article === 6) l = l.replace('あらかじめ発注者の承認', '発注者の承認');
    if (k % 6 === 4 && article === 11) l = `${l}ただし、受注者の責めに帰すべき事由がない場合は、この限りでない。`;
    if (k % 7 === 5 && article === 20) l = l.replace('しなければならない', 'ものとする');
    if (k % 8 === 6 && article === 14 && /^３/.test(l)) continue; // a paragraph dropped
    if (k % 9 === 7 && article === 2) l = l.replace('取り扱わなければ', '取り扱わなけらば'); // a typo
    if (k % 10 === 8) l = l.replace(/６０/g, '60');
    out.push(tagged(l, `案件${k + 1}`));
  }
  return out;
}

/**
 * A long line without its copy's tag gets one after its first 、 (an aside a drafter might add),
 * so that few paragraphs repeat verbatim across copies: a real contract does not repeat itself.
 */
function tagged(line: string, tag: string): string {
  if (line.length < 30 || line.includes(tag)) return line;
  return line.replace('、', `（${tag}関係）、`);
}

/** One copy of the 別紙, labelled 別紙 n. */
function annexCopy(n: number): string[] {
  return [`別紙${fullWidth(n)}`, ...ANNEX_LINES.map((l) => tagged(n % 2 === 0 ? l.replace(/速やかに/g, '遅滞なく') : l, `別紙${n}`))];
}

/** A synthetic contract of at least `targetBytes` UTF-8 bytes (see the file comment). */
export function syntheticContract(targetBytes: number): string {
  const head = ['別記', '情報セキュリティに関する特記事項'];
  const bytes = (ls: string[]) => ls.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0);
  const annexBytes = bytes(annexCopy(1));
  const tail = FORM_LINES;
  let size = bytes(head) + bytes(tail);
  const articles: string[] = [];
  const annexes: string[] = [];
  let articleBytes = 0;
  let annexTotal = 0;
  let copy = 0;
  let annex = 0;
  while (size < targetBytes) {
    // the annexes about a fifth of the text
    if (annexTotal + annexBytes <= articleBytes / 4) {
      const a = annexCopy(++annex);
      annexes.push(...a);
      annexTotal += bytes(a);
      size += bytes(a);
    } else {
      const a = articleCopy(copy, copy * ARTICLES_PER_COPY);
      copy++;
      articles.push(...a);
      articleBytes += bytes(a);
      size += bytes(a);
    }
  }
  return [...head, ...articles, ...annexes, ...tail].join('\n') + '\n';
}

/**
 * `text` without every article headed `heading` (its heading line up to the next heading line or
 * annex): a draft that lacks a standard article, which missing-article then looks for in every
 * draft article at each lint.
 */
export function withoutArticle(text: string, heading: string): string {
  const out: string[] = [];
  let skip = false;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (/^[（(][^（）()]+[）)]$/.test(t) || /^別紙|^別記様式/.test(t)) skip = t.includes(heading);
    if (!skip) out.push(line);
  }
  return out.join('\n');
}
