import type { FileStore } from '../store/files';
import { AppError } from '../shared/errors';

/** A file as a channel or the API hands it over, before it is stored. */
export interface IncomingFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  /** Inline e-mail part referenced as cid: in the HTML body. */
  contentId?: string;
}

export interface StoredFile {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
}

/**
 * Customer-supplied file names are hostile: zero-width and control characters (used to disguise
 * "invoice\u202Efdp.exe"), path separators and reserved names are removed, and the length is capped.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  const capped = cleaned.length > 200 ? truncateKeepingExtension(cleaned, 200) : cleaned;
  if (!capped || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(capped)) return `file${capped ? `_${capped}` : ''}`;
  return capped;
}

function truncateKeepingExtension(name: string, max: number): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : '';
  return name.slice(0, max - ext.length) + ext;
}

const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function sanitizeContentType(type: string): string {
  const base = type.split(';')[0]!.trim().toLowerCase();
  return MIME_RE.test(base) ? base : 'application/octet-stream';
}

export async function storeAttachments(files: FileStore, incoming: IncomingFile[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const file of incoming) {
    if (file.data.length > files.maxBytes) {
      throw new AppError('payload_too_large', 'attachment_too_large', `"${sanitizeFileName(file.fileName)}" is larger than ${files.maxBytes} bytes.`);
    }
    const { sha256, size } = await files.put(file.data);
    stored.push({
      fileName: sanitizeFileName(file.fileName),
      contentType: sanitizeContentType(file.contentType),
      size,
      sha256,
      contentId: file.contentId ?? null,
    });
  }
  return stored;
}

/** Decodes base64 attachment input from the API; refuses anything that is not valid base64. */
export function decodeBase64File(data: string, path: string): Buffer {
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new AppError('validation', 'invalid_attachment', `${path}: data must be base64`, { fields: [{ path, message: 'must be base64' }] });
  }
  return Buffer.from(compact, 'base64');
}
