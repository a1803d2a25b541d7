// The TypeScript compiler as an independent resolver of call sites (bench/oracles.py).
//
// Usage: node bench/ts_resolve.js TYPESCRIPT_PACKAGE_DIR < request.json > answer.json
//
// request: {"root": folder of the sources, "tsconfig": a tsconfig.json or null,
//           "sites": [{"path": relative to root, "line": 1-based, "character": 0-based UTF-16}]}
// answer:  {"version": ts.version, "files": number of program files,
//           "sites": [{"path", "line", "character", "found": the identifier under the position
//                      or null, "declarations": [{"path" (absolute), "line" (1-based, the
//                      declaration's name), "kind" (ts.SyntaxKind name, or "FunctionValued"
//                      for a variable/property initialised with a function)}]}]}
//
// The program is type-checked only as far as getSymbolAtLocation needs; nothing is emitted and
// the analysed code is never run. Aliases (imports, re-exports) are followed to the declaration.
"use strict";

const fs = require("fs");
const path = require("path");

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function tsFilesUnder(root) {
  const found = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ts")) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

function compilerSetup(ts, root, tsconfig) {
  const defaults = { noEmit: true, skipLibCheck: true, types: [] };
  if (!tsconfig) {
    return {
      rootNames: tsFilesUnder(root),
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

// `const f = () => {}`, `{ f: function () {} }`: a variable or property holding a function is
// where the function is defined (our METHOD for it starts at the name).
function functionValued(ts, declaration) {
  const initializer = declaration.initializer;
  return (
    (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) &&
    initializer !== undefined &&
    (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))
  );
}

function declarationsOf(ts, checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol === undefined) return [];
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return (symbol.declarations || []).map((declaration) => {
    const file = declaration.getSourceFile();
    const anchor = declaration.name !== undefined ? declaration.name : declaration;
    const start = anchor.getStart(file);
    return {
      path: file.fileName,
      line: file.getLineAndCharacterOfPosition(start).line + 1,
      kind: functionValued(ts, declaration) ? "FunctionValued" : ts.SyntaxKind[declaration.kind],
    };
  });
}

function main() {
  const ts = require(path.resolve(process.argv[2]));
  const request = JSON.parse(readStdin());
  const setup = compilerSetup(ts, request.root, request.tsconfig);
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
