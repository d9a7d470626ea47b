// The public API's TSDoc examples (a ```ts block in a doc comment under src/ that imports from
// 'canopy-nn', 'canopy-nn/node' or 'canopy-nn/laws'), made into modules whose result comments are
// ASSERTED, not only compiled:
// - `expr; // value` (an expression statement, a literal after `//`, optionally followed by an
//   explanation in parentheses or after a dash or colon) becomes `expectValue(expr, value, where)`;
// - `expr;` followed by `// ...` lines: the same when the lines are a value, else a printout,
//   `expectText(expr, lines, where)`;
// - any other comment after an expression statement is an error: a result comment that is not a
//   value would go unchecked.
// `npx tsx test/tsdoc/extract.ts` writes them to test/.tsdoc/ for `npm run typecheck`;
// test/tsdoc/examples.test.ts runs them. (Examples of internals, without a 'canopy-nn' import, are
// illustrations and are neither compiled nor run.)
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

// --- model

/** One public example: where it is and its code, with its result comments made assertions. */
export interface Example {
  /** `src/x/Y.ts:123`: the line of its ```ts fence. */
  readonly where: string;
  /** A file name for the module. */
  readonly name: string;
  /** The module text (imports the assertion helpers from test/tsdoc/expect.ts). */
  readonly code: string;
  /** How many result comments became assertions. */
  readonly asserted: number;
}

export const root = join(import.meta.dirname, '..', '..');

// --- destructors

/** Every public example under src/, as a module with its assertions; throws on result comments that are not values. */
export function publicExamples(): Example[] {
  const out: Example[] = [];
  const problems: string[] = [];
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*\* ```ts\n((?:\s*\*.*\n)*?)\s*\* ```/gm)) {
      const body = m[1]!
        .split('\n')
        .map((l) => l.replace(/^\s*\* ?/, ''))
        .join('\n');
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${relative(root, file)}:${line}`;
      // The package is canopy-nn: an example importing the old name would silently go unchecked.
      if (/from 'canopy(\/[a-z]+)?'/.test(body)) problems.push(`${where}: imports from 'canopy'; the package is 'canopy-nn'`);
      if (!/from 'canopy-nn(\/node|\/laws)?'/.test(body)) continue;
      const { code, asserted, errors } = withAssertions(body, where);
      problems.push(...errors);
      out.push({ where, name: `${relative(root, file).replace(/[/.]/g, '_')}_${line}.ts`, code, asserted });
    }
  }
  if (problems.length > 0) {
    throw new Error(`tsdoc: result comments must be values (a literal, optionally followed by an explanation) and imports from 'canopy-nn', got:\n  ${problems.join('\n  ')}`);
  }
  return out;
}

/** Writes the examples as modules into `dir` (emptied first); returns them. */
export function writeExamples(dir: string): Example[] {
  const examples = publicExamples();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const e of examples) writeFileSync(join(dir, e.name), e.code);
  return examples;
}

// --- utils

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The example with each result comment replaced by an assertion. */
function withAssertions(body: string, where: string): { code: string; asserted: number; errors: string[] } {
  const sf = ts.createSourceFile('example.ts', body, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { from: number; to: number; text: string }[] = [];
  const errors: string[] = [];
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  for (const stmt of sf.statements) {
    if (!ts.isExpressionStatement(stmt)) continue;
    const at = `${where} (example line ${lineOf(stmt.getStart()) + 1})`;
    const expr = stmt.expression.getText(sf);
    const same = ts.getTrailingCommentRanges(body, stmt.end)?.[0];
    if (same !== undefined) {
      const comment = body.slice(same.pos + 2, same.end).trim();
      const value = literalPrefix(comment);
      if (value === undefined) errors.push(`${at}: // ${comment}`);
      else edits.push({ from: stmt.getStart(), to: stmt.end, text: `expectValue(${expr}, ${value}, ${JSON.stringify(at)});` });
      continue;
    }
    // A printout: the `//` lines right below the statement, up to a blank line or code.
    const comments = ts.getLeadingCommentRanges(body, stmt.end) ?? [];
    const lines: string[] = [];
    let next = lineOf(stmt.end) + 1;
    for (const c of comments) {
      if (c.kind !== ts.SyntaxKind.SingleLineCommentTrivia || lineOf(c.pos) !== next) break;
      lines.push(body.slice(c.pos + 2, c.end).replace(/^ /, ''));
      next++;
    }
    if (lines.length === 0) continue;
    const value = literalPrefix(lines.join(' ').trim());
    const check = value !== undefined ? `expectValue(${expr}, ${value}` : `expectText(${expr}, ${JSON.stringify(lines.join('\n'))}`;
    edits.push({ from: stmt.getStart(), to: stmt.end, text: `${check}, ${JSON.stringify(at)});` });
  }
  let code = body;
  for (const e of edits.reverse()) code = code.slice(0, e.from) + e.text + code.slice(e.to);
  const helpers = "import { expectText, expectValue } from '../tsdoc/expect.ts';\n";
  return { code: `${helpers}${code}\nexport {};\n`, asserted: edits.length, errors };
}

/**
 * The longest start of `comment` that is a literal value, followed by nothing or an explanation;
 * `Float32Array [1, 2]` (how Node prints a typed array) names a typed array of those elements.
 */
function literalPrefix(comment: string): string | undefined {
  const typed = /^((?:Float|Int|Uint)(?:8|16|32|64)(?:Clamped)?Array) (\[.*)$/.exec(comment);
  if (typed !== null) {
    const elements = literalPrefix(typed[2]!);
    return elements === undefined ? undefined : `new ${typed[1]!}(${elements})`;
  }
  for (let i = comment.length; i > 0; i--) {
    if (i < comment.length && !/^\s*(\(|—|–|-\s|:\s|;|,\s)/.test(comment.slice(i))) continue;
    const candidate = comment.slice(0, i).trim();
    if (candidate !== '' && isLiteral(candidate)) return candidate;
  }
  return undefined;
}

/** True when `text` parses as a value built only from literals (no names, calls or operators but unary minus). */
function isLiteral(text: string): boolean {
  const sf = ts.createSourceFile('v.ts', `(${text});`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics;
  if (diagnostics.length > 0 || sf.statements.length !== 1) return false;
  const stmt = sf.statements[0]!;
  if (!ts.isExpressionStatement(stmt)) return false;
  const ok = (n: ts.Node): boolean => {
    if (ts.isParenthesizedExpression(n)) return ok(n.expression);
    if (ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return true;
    if (n.kind === ts.SyntaxKind.TrueKeyword || n.kind === ts.SyntaxKind.FalseKeyword || n.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isIdentifier(n)) return ['undefined', 'NaN', 'Infinity'].includes(n.text);
    if (ts.isPrefixUnaryExpression(n)) return n.operator === ts.SyntaxKind.MinusToken && ok(n.operand);
    if (ts.isArrayLiteralExpression(n)) return n.elements.every(ok);
    if (ts.isObjectLiteralExpression(n)) {
      return n.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && ok(p.initializer));
    }
    return false;
  };
  return ok(stmt.expression);
}

// --- main: write test/.tsdoc/ for the typecheck

if (process.argv[1] !== undefined && relative(process.argv[1], import.meta.filename) === '') {
  const examples = writeExamples(join(root, 'test', '.tsdoc'));
  const asserted = examples.reduce((n, e) => n + e.asserted, 0);
  console.log(`tsdoc: ${examples.length} public examples written to test/.tsdoc/ (${asserted} result comments asserted)`);
}
