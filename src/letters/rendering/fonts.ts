/**
 * The letter faces, parsed once per process (a 14 MB TrueType file takes milliseconds to open lazily, but
 * re-reading it per document would dominate rendering). Defaults from npm: Noto Serif SC Regular for body and
 * page numbers, Noto Serif SC Bold for the title (小标宋-style), Noto Sans SC Regular as the fallback face
 * for characters the main face lacks. An agency with licensed 仿宋 / 小标宋 files configures their paths
 * (LETTER_FONT_PATH, LETTER_TITLE_FONT_PATH); the Noto faces then serve as fallbacks.
 */
import { readFileSync } from 'node:fs';
// fontkit ships no types; pdfkit (which depends on it) accepts its font objects directly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buf: Buffer): FontkitFont | { fonts: FontkitFont[] } };

export interface FontkitGlyph {
  readonly advanceWidth: number;
}
export interface FontkitFont {
  readonly unitsPerEm: number;
  readonly postscriptName: string;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): FontkitGlyph;
  layout(s: string): unknown;
}

export interface LetterFontPaths {
  /** body face (仿宋-style); default Noto Serif SC Regular */
  readonly body?: string | null;
  /** title face (小标宋-style); default Noto Serif SC Bold */
  readonly title?: string | null;
}

export const DEFAULT_FONT_FILES = {
  serifRegular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  serifBold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  sansRegular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
} as const;

/** A face and the faces to try, in order, for a character it lacks. */
export interface FaceChain {
  readonly name: string;
  readonly faces: readonly FontkitFont[];
}

export interface LetterFonts {
  readonly body: FaceChain;
  readonly title: FaceChain;
  /** first-level headings (一、): 黑体-style, Noto Sans SC */
  readonly heading: FaceChain;
}

const parsed = new Map<string, FontkitFont>();

/** Opens a font file once per process (by resolved path). */
export function openFont(file: string): FontkitFont {
  const path = file.startsWith('@') ? require.resolve(file) : file;
  let f = parsed.get(path);
  if (!f) {
    const created = fontkit.create(readFileSync(path));
    f = 'fonts' in created ? created.fonts[0] : created;
    if (!f || typeof f.layout !== 'function') throw new Error(`not a usable font: ${path}`);
    parsed.set(path, f);
  }
  return f;
}

export function letterFonts(paths: LetterFontPaths = {}): LetterFonts {
  const serif = openFont(DEFAULT_FONT_FILES.serifRegular);
  const bold = openFont(DEFAULT_FONT_FILES.serifBold);
  const sans = openFont(DEFAULT_FONT_FILES.sansRegular);
  const body = paths.body ? openFont(paths.body) : serif;
  const title = paths.title ? openFont(paths.title) : bold;
  const chain = (main: FontkitFont, ...rest: FontkitFont[]): FontkitFont[] => [main, ...rest.filter((f) => f !== main)];
  return {
    body: { name: 'body', faces: chain(body, serif, sans) },
    title: { name: 'title', faces: chain(title, bold, serif, sans) },
    heading: { name: 'heading', faces: chain(sans, serif) },
  };
}

/** The index in the chain of the face that draws `cp` (0 when none has it: the main face's .notdef). */
export function faceFor(chain: FaceChain, cp: number): number {
  for (let i = 0; i < chain.faces.length; i++) if (chain.faces[i].hasGlyphForCodePoint(cp)) return i;
  return 0;
}

const widthCache = new WeakMap<FontkitFont, Map<number, number>>();

/** Advance of `cp` in em (1 = the font size). */
export function advanceEm(font: FontkitFont, cp: number): number {
  let m = widthCache.get(font);
  if (!m) widthCache.set(font, (m = new Map<number, number>()));
  let w = m.get(cp);
  if (w === undefined) {
    w = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    m.set(cp, w);
  }
  return w;
}
