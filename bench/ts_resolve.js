// The TypeScript compiler as an independent resolver of call sites (bench/oracles.py).
//
// Usage: node bench/ts_resolve.js TYPESCRIPT_PACKAGE_DIR < request.json > answer.json
//
// request: {"root": folder of the sources, "tsconfig": a tsconfig.json or null,
//           "javascript": true for a JavaScript corpus (optional; no tsconfig then: every
//           .js/.cjs/.mjs file under root, allowJs, CommonJS `require` resolution),
//           "sites": [{"path": relative to root, "line": 1-based, "character": 0-based UTF-16}]}
// answer:  {"version": ts.version, "files": number of program files,
//           "sites": [{"path", "line", "character", "found": the identifier under the position
//                      or null, "declarations": [{"path" (absolute), "line" (1-based, the
//                      declaration's name), "kind" (ts.SyntaxKind name, or "FunctionValued"
//                      for a variable/property initialised with a function or a JavaScript
//                      assignment of one, "ClassValued" for an assignment of a class
//                      expression)}]}]}
//
// The program is type-checked only as far as getSymbolAtLocation needs; nothing is emitted and
// the analysed code is never run. Aliases (imports, re-exports) are followed to the declaration.
"use strict";

const fs = require("fs");
const path = require("path");

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function filesUnder(root, suffixes) {
  const found = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

// JavaScript: the compiler binds plain JavaScript with allowJs (CommonJS `require` and
// `module.exports`, `exports.f = ...`, prototype assignments, ES classes, JSDoc types); checkJs
// is off (no diagnostics are read), and `require("./x")` resolves as node's CommonJS does.
const JAVASCRIPT_SUFFIXES = [".js", ".cjs", ".mjs"];

function compilerSetup(ts, root, tsconfig, javascript) {
  const defaults = { noEmit: true, skipLibCheck: true, types: [] };
  if (javascript) {
    return {
      rootNames: filesUnder(root, JAVASCRIPT_SUFFIXES),
      options: {
        ...defaults,
        allowJs: true,
        checkJs: false,
        target: ts.ScriptTarget.ESNext,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
      },
    };
  }
  if (!tsconfig) {
    return {
      rootNames: filesUnder(root, [".ts"]),
      options: { ...defaults, target: ts.ScriptTarget.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10 },
    };
  }
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig));
  return {
    rootNames: parsed.fileNames,
    options: { ...parsed.options, ...defaults, incremental: false, composite: false },
  };
}

// The identifier (or private identifier) starting exactly at `position`, or the `super`
// keyword there (a `super(...)` constructor call: the checker's symbol of the `super`
// expression is the base class, whose constructor the call runs), or null.
function identifierAt(ts, sourceFile, position) {
  let result = null;
  const visit = (node) => {
    if (result !== null || position < node.pos || position >= node.end) return;
    const named = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || node.kind === ts.SyntaxKind.SuperKeyword;
    if (named && node.getStart(sourceFile) === position) {
      result = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return result;
}

// Whether a node is in a JavaScript file: the JavaScript-only rules below never change what a
// TypeScript program's answers are.
function inJavaScript(ts, node) {
  return (node.flags & ts.NodeFlags.JavaScriptFile) !== 0;
}

// The value a JavaScript assignment declaration stores (`module.exports = v`, `exports.f = v`,
// `Foo.prototype.f = v`, `this.f = v`: the checker's declaration is the assignment or its left
// side), else undefined (also for any TypeScript declaration).
function assignedValue(ts, declaration) {
  if (!inJavaScript(ts, declaration)) return undefined;
  if (ts.isBinaryExpression(declaration)) {
    return declaration.operatorToken.kind === ts.SyntaxKind.EqualsToken ? declaration.right : undefined;
  }
  const parent = declaration.parent;
  const isTarget =
    (ts.isPropertyAccessExpression(declaration) || ts.isElementAccessExpression(declaration)) &&
    parent !== undefined &&
    ts.isBinaryExpression(parent) &&
    parent.left === declaration &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  return isTarget ? parent.right : undefined;
}

// `const f = () => {}`, `{ f: function () {} }`: a variable or property holding a function is
// where the function is defined (our METHOD for it starts at the name); so is a JavaScript
// assignment of a function (`exports.f = function () {}`, `Foo.prototype.f = () => {}`), also in
// parentheses (a JSDoc cast, `/** @type {F} */ (function () {})`). Returns "FunctionValued",
// "ClassValued" (an assignment of a class expression, `Dep.Template = class T {}`) or null.
function valueKind(ts, declaration) {
  let value;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
    value = declaration.initializer;
  } else {
    value = assignedValue(ts, declaration);
  }
  if (value === undefined) return null;
  if (inJavaScript(ts, declaration)) value = ts.skipParentheses(value);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return "FunctionValued";
  if (ts.isClassExpression(value) && assignedValue(ts, declaration) !== undefined) return "ClassValued";
  return null;
}

function declarationsOf(ts, checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol === undefined) return [];
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return (symbol.declarations || []).flatMap((declaration) => described(ts, checker, declaration, true));
}

// A JavaScript assignment of a name (`exports.f = f`, `Foo.Template = FooTemplate`) stands for
// what the name declares, as `module.exports = Foo` and `export { f }` do (aliases the checker
// follows itself): followed one hop. Other declarations are described as they are.
function described(ts, checker, declaration, follow) {
  const value = assignedValue(ts, declaration);
  if (follow && value !== undefined && ts.isIdentifier(ts.skipParentheses(value))) {
    let symbol = checker.getSymbolAtLocation(ts.skipParentheses(value));
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    if (symbol !== undefined && symbol.declarations) {
      return symbol.declarations.flatMap((target) => described(ts, checker, target, false));
    }
  }
  const file = declaration.getSourceFile();
  const anchor = declaration.name !== undefined ? declaration.name : declaration;
  const start = anchor.getStart(file);
  return [
    {
      path: file.fileName,
      line: file.getLineAndCharacterOfPosition(start).line + 1,
      kind: valueKind(ts, declaration) || ts.SyntaxKind[declaration.kind],
    },
  ];
}

function main() {
  const ts = require(path.resolve(process.argv[2]));
  const request = JSON.parse(readStdin());
  const setup = compilerSetup(ts, request.root, request.tsconfig, request.javascript === true);
  const program = ts.createProgram(setup.rootNames, setup.options);
  const checker = program.getTypeChecker();
  const answers = request.sites.map((site) => {
    const answer = { ...site, found: null, declarations: [] };
    const sourceFile = program.getSourceFile(path.join(request.root, site.path));
    if (sourceFile === undefined) return answer;
    let position;
    try {
      position = sourceFile.getPositionOfLineAndCharacter(site.line - 1, site.character);
    } catch (error) {
      return answer; // a position outside the file: reported as not found
    }
    const identifier = identifierAt(ts, sourceFile, position);
    if (identifier === null) return answer;
    answer.found = identifier.kind === ts.SyntaxKind.SuperKeyword ? "super" : identifier.text;
    answer.declarations = declarationsOf(ts, checker, identifier);
    return answer;
  });
  process.stdout.write(
    JSON.stringify({ version: ts.version, files: program.getSourceFiles().length, sites: answers }),
  );
}

main();
