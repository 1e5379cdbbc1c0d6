/**
 * The 別記様式 「機密データの保存等に関する届出書」 of the 特記事項 (templates/data/tokki.ts): its
 * title, header fields, numbered entries (headings, notes ※, sample text 例, choices □ and the
 * fields each choice asks for). Every literal here is worded exactly as the published form
 * (test/unit/form/spec.test.ts checks them against TOKKI_TEXT); the recogniser compares them
 * after normalisation (NFKC, whitespace dropped), so width and spacing do not matter.
 */

export const FORM_TITLE = '機密データの保存等に関する届出書';

/** The note closing the entries (after ６). */
export const CLOSING_NOTE = '※ 今回の届出事項に変更があった場合には、再度届出を行ってください。';

/** The heading of the notes printed under the form; not part of what is filled in. */
export const NOTES_HEADING = '【注記事項】';

/** Header labels; the first is the published one, the others are accepted spellings. */
export const ADDRESS_LABELS = ['住所', '住所又は所在地', '所在地'] as const;
export const NAME_LABELS = ['氏名又は法人名等', '氏名又は名称', '法人名等', '商号又は名称', '氏名'] as const;

export type OptionKey = 'domestic' | 'abroad' | 'yes' | 'no';

export interface OptionSpec {
  key: OptionKey;
  /** As printed after the box, e.g. 「日本国外（全部又は一部）」. */
  text: string;
  /** Shorter spellings accepted for the same option (「日本国外」). */
  alt?: readonly string[];
  /** Keys of the fields this option asks for. */
  requires?: readonly string[];
}

export interface FieldSpec {
  key: string;
  /** The label without its brackets, letter or colon, e.g. 「国名」, 「サービス名称」. */
  label: string;
  /** ア, イ, ウ when the form numbers the field. */
  letter?: string;
  /** How the published form writes the label, for messages: 「（国名）」, 「ア サービス名称」. */
  printed: string;
}

/** A field the form numbers ア, イ, ウ: printed as the letter, a space and the label. */
function lettered(letter: string, key: string, label: string): FieldSpec {
  return { key, label, letter, printed: `${letter} ${label}` };
}

export interface EntrySpec {
  number: number;
  heading: string;
  /** Notes printed under the heading (※ …). */
  notes: readonly string[];
  /** The sample answer printed under the heading (例 …). */
  sample?: string;
  options: readonly OptionSpec[];
  fields: readonly FieldSpec[];
  /** A sub-heading inside the entry that asks for nothing itself (（利用契約先の情報）). */
  groupHeadings?: readonly string[];
  /** The fields are asked once per service / contractor: a set may be repeated. */
  repeatable?: boolean;
}

const YES_NO = (requires: readonly string[]): OptionSpec[] => [
  { key: 'yes', text: '有', requires },
  { key: 'no', text: '無' },
];

export const ENTRIES: readonly EntrySpec[] = [
  {
    number: 1,
    heading: '機密データの保存に使用する媒体等の名称',
    notes: [],
    sample: '例 USBメモリ、社内PC内ストレージ、外付けハードディスク',
    options: [],
    fields: [],
  },
  {
    number: 2,
    heading: '機密データを記憶する記録媒体等の物理的な所在地等',
    notes: [],
    sample: '例 米国、システム管理に関するログ情報を保管',
    options: [
      { key: 'domestic', text: '日本国内のみ' },
      { key: 'abroad', text: '日本国外（全部又は一部）', alt: ['日本国外'], requires: ['country', 'overseas-data'] },
    ],
    fields: [
      { key: 'country', label: '国名', printed: '（国名）' },
      { key: 'overseas-data', label: '日本国外に保存する機密データの概要', printed: '（日本国外に保存する機密データの概要）' },
    ],
  },
  {
    number: 3,
    heading: 'オンラインストレージ等のクラウドサービスの利用の有無',
    notes: ['※ 利用契約先が複数ある場合には、サービスごとに記載してください。'],
    options: YES_NO(['service', 'contractor', 'storage-location']),
    fields: [
      lettered('ア', 'service', 'サービス名称'),
      lettered('イ', 'contractor', '利用契約先の名称'),
      lettered('ウ', 'storage-location', '機密データの物理的保存先に係る情報等'),
    ],
    groupHeadings: ['利用契約先の情報'],
    repeatable: true,
  },
  {
    number: 4,
    heading: '利用するオンラインストレージ等のクラウドサービスの第三者認証の情報',
    notes: ['※ ３が「有」の場合のみ記載してください。', '※ 利用契約先が複数ある場合には、サービスごとに記載してください。'],
    options: YES_NO(['certification']),
    fields: [{ key: 'certification', label: '第三者認証の名称', printed: '（第三者認証の名称：）' }],
    repeatable: true,
  },
  {
    number: 5,
    heading: '生成ＡＩの利用の有無',
    notes: [
      '※ 本業務の機密データの取扱いについて、生成ＡＩ又は生成ＡＩを利用したサービスでの利用の有無を回答してください。また、有とした場合にはアからウについて記載してください。',
    ],
    options: YES_NO(['ai-service', 'ai-provider', 'ai-work']),
    fields: [
      lettered('ア', 'ai-service', '利用サービス名'),
      lettered('イ', 'ai-provider', 'サービス提供事業者'),
      lettered('ウ', 'ai-work', '生成ＡＩを利用する業務及び作業の具体的内容'),
    ],
    repeatable: true,
  },
  {
    number: 6,
    heading: '再委託等の有無',
    notes: [
      '※ 本契約に係る業務に関して機密データの全部又は一部の取扱いを第三者に委託する予定がある場合は「有」としてください（二以上の段階にわたる委託をする場合及び子会社に委託をする場合を含みます。子会社は、会社法（平成17年法律第86号）第２条第３号に規定する子会社をいいます。）。',
    ],
    options: YES_NO(['subcontractor', 'subcontracted-work']),
    fields: [
      { key: 'subcontractor', label: '再委託先等の名称', printed: '（再委託先等の名称）' },
      { key: 'subcontracted-work', label: '再委託先等に委託する具体的な業務内容', printed: '（再委託先等に委託する具体的な業務内容）' },
    ],
    repeatable: true,
  },
];

/** Marks that answer a choice when written in place of (or next to) the box. */
export const MARKS = '☑☒■✓✔✅レ●○◉◎◯';
/** The empty box. */
export const BOXES = '□☐';
