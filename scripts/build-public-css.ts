// Builds the public pages' stylesheet from USWDS's Sass sources (only the parts styles/public.scss
// names) and copies the two Public Sans fonts and the images it refers to into public/.
// The output is committed, so a clone serves the pages without building; a test fails when it is stale.
//   npm run build:css            writes public/css/public.css, public/fonts/, public/img/
//   npm run build:css -- --check exits 1 when the files in public/ differ from a fresh build
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from 'sass';

const ROOT = path.resolve(__dirname, '..');
const USWDS = path.join(ROOT, 'node_modules', '@uswds', 'uswds');
const PUBLIC = path.join(ROOT, 'public');
const CSS_FILE = path.join(PUBLIC, 'css', 'public.css');

/** Images the page frame links to directly (the gov banner), beside those the stylesheet refers to. */
const FRAME_IMAGES = ['us_flag_small.png', 'icon-dot-gov.svg', 'icon-https.svg'];

export interface PublicCssBuild {
  css: string;
  /** Files to copy: path under public/ → source file. */
  copies: Map<string, string>;
}

/** Compiles styles/public.scss and lists the fonts and images its output refers to. */
export function buildPublicCss(): PublicCssBuild {
  const { css } = compile(path.join(ROOT, 'styles', 'public.scss'), {
    loadPaths: [path.join(USWDS, 'packages')],
    style: 'compressed',
    sourceMap: false,
  });
  const copies = new Map<string, string>();
  for (const match of css.matchAll(/url\("?\.\.\/(fonts|img)\/([^")]+)"?\)/g)) {
    const [, kind, file] = match;
    copies.set(path.join(kind, file), path.join(USWDS, 'dist', kind, file));
  }
  for (const image of FRAME_IMAGES) copies.set(path.join('img', image), path.join(USWDS, 'dist', 'img', image));
  return { css: `${css}\n`, copies };
}

/** Paths under public/ that a fresh build would write differently (or that are missing). */
export function staleFiles(build: PublicCssBuild): string[] {
  const stale: string[] = [];
  if (!existsSync(CSS_FILE) || readFileSync(CSS_FILE, 'utf8') !== build.css) stale.push('css/public.css');
  for (const [target, source] of build.copies) {
    const file = path.join(PUBLIC, target);
    if (!existsSync(file) || !readFileSync(file).equals(readFileSync(source))) stale.push(target);
  }
  return stale;
}

function writeBuild(build: PublicCssBuild): void {
  mkdirSync(path.dirname(CSS_FILE), { recursive: true });
  writeFileSync(CSS_FILE, build.css);
  for (const [target, source] of build.copies) {
    const file = path.join(PUBLIC, target);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(source, file);
  }
}

if (require.main === module) {
  const build = buildPublicCss();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(build);
    if (stale.length > 0) {
      console.error(`Out of date in public/ (run npm run build:css): ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log('public/css/public.css and its fonts and images are up to date.');
  } else {
    writeBuild(build);
    console.log(`public/css/public.css: ${Buffer.byteLength(build.css)} bytes; ${build.copies.size} fonts and images copied.`);
  }
}
