// Bundles one UI extension for the browser with esbuild: its entry file, React from the project's
// dependency (one copy, whatever `hs project dev` installed next to the cards), and
// '@hubspot/ui-extensions' resolved to the preview's browser implementation. Every export of the real
// package that the preview lacks becomes a "not available" stand-in, so a card that uses one still
// builds and shows which part is missing. A bundle is rebuilt when one of its source files changed.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const browserDir = path.join(here, 'browser');
const shimIndex = path.join(browserDir, 'index.ts');
const missingModule = path.join(browserDir, 'missing.tsx');
const runtimeModule = path.join(browserDir, 'runtime.tsx');
const SDK = '@hubspot/ui-extensions';

/** A built bundle, or why it did not build. */
export type BundleResult = { ok: true; js: string; hash: string } | { ok: false; errors: string[] };

interface CacheEntry {
  result: Promise<BundleResult>;
  builtAt: number;
  /** Set when the build finished: whether it succeeded, and the project files it read. */
  finished?: { ok: boolean; inputs: string[] };
}

/** Builds and caches one bundle per extension. */
export interface PreviewBundler {
  /**
   * The extension's bundle, rebuilt when a source file changed since the last build.
   * @param uid the extension's uid
   * @param entryFile its entry file
   */
  bundle(uid: string, entryFile: string): Promise<BundleResult>;
}

/**
 * Creates the bundler. esbuild is imported on first use, so the emulator starts without it.
 * @param opts `rootDir`: the directory esbuild works in (paths in messages are relative to it)
 * @returns the bundler
 */
export function createPreviewBundler(opts: { rootDir: string }): PreviewBundler {
  const cache = new Map<string, CacheEntry>();
  let exportNames: Promise<{ real: Map<string, string[]>; shim: Set<string> }> | undefined;

  // In flight: share it. Built: reuse it unless a source file changed. Failed: build again.
  const reusable = (entry: CacheEntry) => !entry.finished || (entry.finished.ok && !entry.finished.inputs.some((file) => mtime(file) > entry.builtAt));

  async function build(uid: string, entryFile: string): Promise<{ result: BundleResult; inputs: string[] }> {
    let esbuild: typeof Esbuild;
    try {
      esbuild = await import('esbuild');
    } catch {
      return { result: { ok: false, errors: ['esbuild is not installed: run `npm install` to use the preview'] }, inputs: [] };
    }
    exportNames ??= readExportNames(esbuild.build);
    const names = await exportNames;
    const entry = [
      `import { mountExtension } from ${JSON.stringify(runtimeModule)};`,
      `import ${JSON.stringify(entryFile)};`,
      `mountExtension(${JSON.stringify(uid)});`,
    ].join('\n');
    try {
      const out = await esbuild.build({
        stdin: { contents: entry, resolveDir: path.dirname(entryFile), loader: 'tsx', sourcefile: `preview-${uid}.tsx` },
        absWorkingDir: opts.rootDir,
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        jsx: 'automatic',
        // Development React: its warnings (missing keys, bad hooks) reach the console, where tests fail on them.
        define: { 'process.env.NODE_ENV': '"development"' },
        sourcemap: 'inline',
        metafile: true,
        logLevel: 'silent',
        plugins: [previewPlugin(names)],
      });
      const js = out.outputFiles[0]?.text ?? '';
      const inputs = Object.keys(out.metafile.inputs)
        .filter((file) => !file.includes('node_modules'))
        .map((file) => path.resolve(opts.rootDir, file))
        .filter((file) => existsSync(file));
      return { result: { ok: true, js, hash: createHash('sha256').update(js).digest('hex').slice(0, 12) }, inputs };
    } catch (error) {
      const failure = error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] };
      if (!Array.isArray(failure.errors)) throw error;
      const errors = failure.errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text));
      // A failed build is retried on the next request whatever changed.
      return { result: { ok: false, errors }, inputs: [] };
    }
  }

  return {
    bundle(uid, entryFile) {
      const cached = cache.get(uid);
      if (cached && reusable(cached)) return cached.result;
      const builtAt = Date.now();
      const built = build(uid, entryFile);
      const entry: CacheEntry = { result: built.then((b) => b.result), builtAt };
      built.then(
        (b) => {
          entry.finished = { ok: b.result.ok, inputs: b.inputs };
        },
        () => {
          entry.finished = { ok: false, inputs: [] };
        },
      );
      cache.set(uid, entry);
      return entry.result;
    },
  };
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

type EsbuildBuild = typeof Esbuild.build;

// The export names of the real package (per subpath) and of the preview's implementation, read by
// esbuild itself so that `export *` chains count.
async function readExportNames(build: EsbuildBuild): Promise<{ real: Map<string, string[]>; shim: Set<string> }> {
  const exportsOf = async (file: string) => {
    const out = await build({ entryPoints: [file], bundle: true, write: false, format: 'esm', packages: 'external', metafile: true, logLevel: 'silent', outdir: 'out' });
    return Object.values(out.metafile.outputs).flatMap((o) => o.exports);
  };
  const real = new Map<string, string[]>();
  for (const subpath of ['', '/crm', '/pages', '/pages/home', '/experimental', '/experimental/api-client']) {
    real.set(subpath, await exportsOf(require.resolve(`${SDK}${subpath}`)));
  }
  return { real, shim: new Set(await exportsOf(shimIndex)) };
}

function previewPlugin(names: { real: Map<string, string[]>; shim: Set<string> }): Esbuild.Plugin {
  return {
    name: 'hubspot-preview',
    setup(build) {
      // One React for the shim and the cards: the project's own.
      build.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, (args) => ({ path: require.resolve(args.path) }));
      build.onResolve({ filter: /^@hubspot\/ui-extensions(\/.*)?$/ }, (args) => {
        const subpath = args.path.slice(SDK.length);
        if (!names.real.has(subpath)) return { errors: [{ text: `${args.path} is not available in the preview` }] };
        return { path: subpath === '' ? 'index' : subpath, namespace: 'hubspot-preview' };
      });
      build.onLoad({ filter: /.*/, namespace: 'hubspot-preview' }, (args) => {
        const subpath = args.path === 'index' ? '' : args.path;
        const implemented = subpath === '' ? names.shim : new Set<string>();
        const lines = subpath === '' ? [`export * from ${JSON.stringify(shimIndex)};`] : [];
        lines.push(`import { missingComponent, missingFunction } from ${JSON.stringify(missingModule)};`);
        for (const name of names.real.get(subpath) ?? []) {
          if (implemented.has(name) || name === 'default') continue;
          const make = /^[A-Z]/.test(name) ? 'missingComponent' : 'missingFunction';
          lines.push(`export const ${name} = ${make}(${JSON.stringify(subpath === '' ? name : `${SDK}${subpath} ${name}`)});`);
        }
        return { contents: lines.join('\n'), loader: 'ts', resolveDir: browserDir };
      });
    },
  };
}
