// The Go type checker as an independent resolver of call sites (bench/oracles.py).
//
// Usage (GOPATH mode, nothing downloaded; bench/oracles.py sets the environment):
//
//	GO111MODULE=off GOPATH=... GOTOOLCHAIN=local GOPROXY=off \
//	  go run bench/go_resolve.go < request.json
//
// request: {"root": a folder inside $GOPATH/src (the corpus), "goos"/"goarch": the build
// context to check ("": this machine's), "sites": [{"path": relative to root, "line":
// 1-based, "column": 0-based byte column}]}
//
// answer:  {"version": runtime.Version(), "packages": type-checked packages,
//
//	"files": [relative paths of the type-checked files], "errors": type errors (count),
//	"sites": [{"found": the identifier at the position or "", "kind": what it denotes
//	           ("func", "method", "interface method", "type", "var", "const", "builtin",
//	           "package", "nil", "label"), "path" (absolute, "" without a position),
//	           "line" (1-based, the declaration's name)}]}
//
// Every package folder under root is type-checked for one build context (GOOS/GOARCH, default
// build tags, no cgo): its files and in-package tests as one package, its external
// tests (package x_test) as another. A file that build constraints exclude is not checked (it is
// missing from "files"). The object at a call's callee name is types.Info.Uses there: a method
// called through an interface is the interface's method (its declaration in the interface
// type), a method of a generic type or a generic function its origin (the declaration, not the
// instance). Imports are type-checked from source too (go/importer "source", GOPATH mode:
// golang.org/x/... from the GOPATH, the standard library from GOROOT); nothing is built or run.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

type site struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type request struct {
	Root   string `json:"root"`
	GOOS   string `json:"goos"`   // the build context's; "" = this machine's
	GOARCH string `json:"goarch"` // the build context's; "" = this machine's
	Sites  []site `json:"sites"`
}

type answer struct {
	Found string `json:"found"`
	Kind  string `json:"kind"`
	Path  string `json:"path"`
	Line  int    `json:"line"`
}

type reply struct {
	Version  string   `json:"version"`
	Packages int      `json:"packages"`
	Files    []string `json:"files"`
	Errors   int      `json:"errors"`
	Sites    []answer `json:"sites"`
}

type place struct {
	file   string
	line   int
	column int // 1-based byte column (go/token)
}

type use struct {
	name   string
	object types.Object
}

// overlay: the source importer, except for the packages it holds.
type overlay struct {
	base     types.ImporterFrom
	packages map[string]*types.Package
}

func (o overlay) Import(path string) (*types.Package, error) {
	return o.ImportFrom(path, "", 0)
}

func (o overlay) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if pkg := o.packages[path]; pkg != nil {
		return pkg, nil
	}
	return o.base.ImportFrom(path, dir, mode)
}

// packageFolders: every folder under root holding .go files, except testdata and the folders
// the go tool ignores (names starting with "." or "_").
func packageFolders(root string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := entry.Name()
		if entry.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	folders := make([]string, 0, len(seen))
	for folder := range seen {
		folders = append(folders, folder)
	}
	sort.Strings(folders)
	return folders, err
}

func kindOf(object types.Object) string {
	switch object := object.(type) {
	case *types.Func:
		signature, _ := object.Type().(*types.Signature)
		if signature == nil || signature.Recv() == nil {
			return "func"
		}
		if types.IsInterface(signature.Recv().Type()) {
			return "interface method"
		}
		return "method"
	case *types.TypeName:
		return "type"
	case *types.Var:
		return "var"
	case *types.Const:
		return "const"
	case *types.Builtin:
		return "builtin"
	case *types.PkgName:
		return "package"
	case *types.Nil:
		return "nil"
	case *types.Label:
		return "label"
	}
	return fmt.Sprintf("%T", object)
}

// origin: the generic declaration of an instantiated function or method.
func origin(object types.Object) types.Object {
	if function, ok := object.(*types.Func); ok {
		return function.Origin()
	}
	return object
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "go_resolve: bad request:", err)
		os.Exit(2)
	}
	root, err := filepath.Abs(req.Root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_resolve:", err)
		os.Exit(2)
	}
	// The build context the files are selected for (the source importer reads build.Default).
	if req.GOOS != "" {
		build.Default.GOOS = req.GOOS
	}
	if req.GOARCH != "" {
		build.Default.GOARCH = req.GOARCH
	}
	build.Default.CgoEnabled = false // cgo files would need the C toolchain's view
	sizes := types.SizesFor("gc", build.Default.GOARCH)
	fset := token.NewFileSet()
	imports, _ := importer.ForCompiler(fset, "source", nil).(types.ImporterFrom)
	uses := map[place]use{}
	checkedFiles := []string{}
	typeErrors := 0
	packages := 0
	check := func(folder string, importPath string, names []string, importer types.Importer) *types.Package {
		if len(names) == 0 {
			return nil
		}
		files := make([]*ast.File, 0, len(names))
		for _, name := range names {
			path := filepath.Join(folder, name)
			file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				fmt.Fprintln(os.Stderr, "go_resolve: parse error:", err)
				typeErrors++
				continue
			}
			files = append(files, file)
			relative, _ := filepath.Rel(root, path)
			checkedFiles = append(checkedFiles, filepath.ToSlash(relative))
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
		config := types.Config{
			Importer: importer,
			Sizes:    sizes,
			Error: func(err error) { // keep checking: answer what is typed
				if typeErrors < 20 {
					fmt.Fprintln(os.Stderr, "go_resolve: type error:", err)
				}
				typeErrors++
			},
		}
		checked, _ := config.Check(importPath, fset, files, info)
		packages++
		for ident, object := range info.Uses {
			position := fset.Position(ident.Pos())
			uses[place{position.Filename, position.Line, position.Column}] = use{ident.Name, object}
		}
		return checked
	}
	folders, err := packageFolders(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_resolve:", err)
		os.Exit(2)
	}
	for _, folder := range folders {
		pkg, err := build.Default.ImportDir(folder, 0)
		if err != nil {
			if _, none := err.(*build.NoGoError); none {
				continue // only files this build context excludes
			}
			if pkg == nil || len(pkg.GoFiles) == 0 {
				fmt.Fprintln(os.Stderr, "go_resolve: skipped", folder+":", err)
				continue
			}
		}
		importPath := pkg.ImportPath
		if importPath == "" || importPath == "." {
			importPath = filepath.Base(folder)
		}
		// No CgoFiles: with cgo off, go/build lists files importing "C" as ignored.
		own := append(append([]string{}, pkg.GoFiles...), pkg.TestGoFiles...)
		tested := check(folder, importPath, own, imports)
		// The external tests import the package with its in-package test files (export_test.go).
		withTests := overlay{imports, map[string]*types.Package{importPath: tested}}
		check(folder, importPath+"_test", pkg.XTestGoFiles, withTests)
	}
	answers := make([]answer, 0, len(req.Sites))
	for _, s := range req.Sites {
		found, ok := uses[place{filepath.Join(root, s.Path), s.Line, s.Column + 1}]
		if !ok {
			answers = append(answers, answer{})
			continue
		}
		object := origin(found.object)
		result := answer{Found: found.name, Kind: kindOf(object)}
		if object.Pos().IsValid() {
			position := fset.Position(object.Pos())
			result.Path = position.Filename
			result.Line = position.Line
		}
		answers = append(answers, result)
	}
	sort.Strings(checkedFiles)
	out := reply{runtime.Version(), packages, checkedFiles, typeErrors, answers}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "go_resolve:", err)
		os.Exit(1)
	}
}
