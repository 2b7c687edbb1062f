// Search in Chinese, Japanese and Korean text. FTS5's unicode61 tokenizer treats a run of
// ideographs or kana as one token (there are no spaces between words), so "東京" would only
// find messages where it stands alone. Messages with CJK text are also indexed in
// `messages_cjk` with every CJK character as its own token (separated by U+200B ZERO WIDTH
// SPACE, which unicode61 treats as a separator); a query is then a phrase of characters,
// which matches at any position, for one-character queries too. A trigram index would need
// queries of three characters or more, and most Chinese and Japanese words are two.

/** Han (incl. extensions and compatibility), kana, Hangul syllables and jamo, CJK symbols' letters. */
const CJK_CHAR = /[\u1100-\u11ff\u3040-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}]/u
const CJK_CHARS = new RegExp(CJK_CHAR.source, 'gu')
const ZWSP = '\u200b'

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text)
}

/** The text as stored in messages_cjk: each CJK character set apart as its own token. */
export function segmentCjk(text: string): string {
  return text.replace(CJK_CHARS, (ch) => `${ZWSP}${ch}${ZWSP}`)
}

/** A snippet of segmented text, as the person wrote it. */
export function unsegment(text: string): string {
  return text.replaceAll(ZWSP, '')
}

/** One query word as an FTS5 phrase of its segments: "東京タワー" → "東 京 タ ワ ー". */
export function segmentWord(word: string): string {
  return segmentCjk(word)
    .split(ZWSP)
    .filter((s) => s.length > 0)
    .join(' ')
}
