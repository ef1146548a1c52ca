/**
 * Telegram's MarkdownV2 rejects the whole message when any of _*[]()~`>#+-=|{}.! appears unescaped outside
 * an entity. Plain agent text is escaped completely; the Markdown subset agents write (**bold**, *italic* or
 * _italic_, `code`, ```blocks```, [text](url)) becomes MarkdownV2 entities with their insides escaped by the
 * rules of each entity (inside code only ` and \ are special; inside a link URL only ) and \).
 */
const SPECIAL = /[_*[\]()~`>#+\-=|{}.!\\]/g;

export const escapeMarkdownV2 = (text: string) => text.replace(SPECIAL, (c) => `\\${c}`);
const escapeCode = (text: string) => text.replace(/[`\\]/g, (c) => `\\${c}`);
const escapeUrl = (text: string) => text.replace(/[)\\]/g, (c) => `\\${c}`);

const TOKEN = /```([\s\S]*?)```|`([^`\n]+)`|\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<!\w)_([^_\n]+)_(?!\w)/g;

export function markdownToTelegram(markdown: string): string {
  let out = '';
  let last = 0;
  for (const m of markdown.matchAll(TOKEN)) {
    out += escapeMarkdownV2(markdown.slice(last, m.index));
    const [, block, code, bold, linkText, linkUrl, italicStar, italicUnderscore] = m;
    if (block !== undefined) out += `\`\`\`\n${escapeCode(block.replace(/^\n/, ''))}\`\`\``;
    else if (code !== undefined) out += `\`${escapeCode(code)}\``;
    else if (bold !== undefined) out += `*${escapeMarkdownV2(bold)}*`;
    else if (linkText !== undefined) out += `[${escapeMarkdownV2(linkText)}](${escapeUrl(linkUrl!)})`;
    else out += `_${escapeMarkdownV2((italicStar ?? italicUnderscore)!)}_`;
    last = m.index + m[0].length;
  }
  return out + escapeMarkdownV2(markdown.slice(last));
}
