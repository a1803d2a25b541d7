// javac as an independent resolver of Java call sites (bench/oracles.py, java_resolution).
//
// Usage: java bench/JavaResolve.java MODULE MODULE_SOURCE_ROOT FILES_LIST < sites.tsv > answers.tsv
//
// The files named in FILES_LIST (one absolute path a line) are compiled as the module MODULE
// patched with MODULE_SOURCE_ROOT (`--patch-module java.base=<.../java.base>`): the JDK's own
// sources then see their package-private and module-internal neighbours (jdk.internal.*) as they
// do when the JDK is built, and the rest of the module comes from the running JDK's class files.
// The compiler only parses and attributes (JavacTask.analyze(): no class file is written, no
// annotation processor runs, nothing of the corpus is executed).
//
// sites.tsv: one asked call site a line, "path<TAB>line<TAB>column": path as in FILES_LIST, line
// 1-based, column 0-based in UTF-16 units (javac's char offsets), the start of the callee's last
// name (`b` of `a.b(...)`, `Foo` of `new p.Foo<>(...)`, the `super`/`this` keyword of an explicit
// constructor invocation).
// answers.tsv: one line a site, in order,
//   "status<TAB>kind<TAB>path<TAB>start<TAB>class<TAB>overloaded":
//   status "ok": the method or constructor javac attributes to the call is declared in a compiled
//     file: path, the 1-based line where its declaration starts (modifiers and annotations
//     included, javadoc not: javac's start position, which is where a tree-sitter declaration
//     node starts); kind METHOD, CONSTRUCTOR, or CLASS/INTERFACE/ENUM/
//     RECORD for an implicit (mandated) default constructor, answered by its class, and for an
//     anonymous class of an interface, answered by the interface; class: for a CONSTRUCTOR,
//     the line where its class's declaration starts (else empty); overloaded: "overloaded" when
//     the receiver's type (the class around a bare call) has several methods of the called
//     method's name, declared or inherited (else empty): the argument types pick one.
//   status "outside": declared outside the compiled files (the JDK's other classes);
//   status "implicit": a member no source declares (an enum's values(), a record's accessor);
//   status "unresolved": javac attributes no symbol (an error in the corpus' code);
//   status "none": no method invocation or class instance creation has its name there.
// The first output line is "version<TAB>" + the compiler's version, then the answers; error
// diagnostics (counted) go to stderr.

import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class JavaResolve {
    /** The call sites of one compilation unit: char offset of the callee's last name -> call. */
    static final class CallsAt extends TreePathScanner<Void, Void> {
        final Map<Long, TreePath> calls = new HashMap<>();
        final CompilationUnitTree unit;
        final SourcePositions positions;
        final Elements elements;
        final Trees trees;

        CallsAt(CompilationUnitTree unit, Trees trees, Elements elements) {
            this.unit = unit;
            this.trees = trees;
            this.positions = trees.getSourcePositions();
            this.elements = elements;
        }

        /** Start offset of the last name of `name` (`a.b.C` -> `C`), -1 when there is none. */
        long lastNameStart(Tree name) {
            if (name instanceof ParameterizedTypeTree parameterized) {
                return lastNameStart(parameterized.getType());
            }
            if (name instanceof AnnotatedTypeTree annotated) {
                return lastNameStart(annotated.getUnderlyingType());
            }
            if (name instanceof IdentifierTree identifier) {
                return positions.getStartPosition(unit, identifier);
            }
            if (name instanceof MemberSelectTree select) {
                long end = positions.getEndPosition(unit, select);
                return end < 0 ? -1 : end - select.getIdentifier().length();
            }
            return -1;
        }

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
            // the default constructor javac adds (and an anonymous class's) holds a `super()`
            // call written nowhere: not a call site of the source
            Element element = trees.getElement(getCurrentPath());
            if (element != null && elements.getOrigin(element) != Elements.Origin.EXPLICIT) {
                return null;
            }
            return super.visitMethod(method, unused);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            record(lastNameStart(call.getMethodSelect()));
            return super.visitMethodInvocation(call, unused);
        }

        @Override
        public Void visitNewClass(NewClassTree call, Void unused) {
            record(lastNameStart(call.getIdentifier()));
            return super.visitNewClass(call, unused);
        }

        void record(long offset) {
            if (offset >= 0) {
                calls.putIfAbsent(offset, getCurrentPath());
            }
        }
    }

    final Trees trees;
    final Elements elements;
    final Types types;
    final Map<String, CompilationUnitTree> units = new HashMap<>();
    final Map<String, CallsAt> callsByPath = new HashMap<>();

    JavaResolve(Trees trees, Elements elements, Types types) {
        this.trees = trees;
        this.elements = elements;
        this.types = types;
    }

    CallsAt callsOf(String path) {
        return callsByPath.computeIfAbsent(
                path,
                key -> {
                    CompilationUnitTree unit = units.get(key);
                    if (unit == null) {
                        return null;
                    }
                    CallsAt scanner = new CallsAt(unit, trees, elements);
                    scanner.scan(unit, null);
                    return scanner;
                });
    }

    /** The executable a call site runs (an anonymous class creation: its superclass's one). */
    Element calledElement(TreePath call) {
        if (call.getLeaf() instanceof NewClassTree creation && creation.getClassBody() != null) {
            ClassTree body = creation.getClassBody();
            Element anonymous = trees.getElement(new TreePath(call, body));
            if (anonymous instanceof TypeElement type) {
                TypeMirror superclass = type.getSuperclass();
                List<? extends TypeMirror> interfaces = type.getInterfaces();
                if (!interfaces.isEmpty()) {
                    // `new Iface() {...}`: the interface it implements (it has no constructor)
                    return types.asElement(interfaces.get(0));
                }
                // `new Base(args) {...}`: the anonymous constructor's `super(args)` picks it
                for (Element member : type.getEnclosedElements()) {
                    if (member.getKind() == ElementKind.CONSTRUCTOR) {
                        MethodTree constructor = (MethodTree) trees.getTree(member);
                        Element called = superCallIn(constructor, call);
                        if (called != null) {
                            return called;
                        }
                    }
                }
                return types.asElement(superclass);
            }
        }
        return trees.getElement(call);
    }

    Element superCallIn(MethodTree constructor, TreePath around) {
        if (constructor == null || constructor.getBody() == null) {
            return null;
        }
        Element[] found = new Element[1];
        TreePath path = trees.getPath(around.getCompilationUnit(), constructor);
        if (path == null) {
            return null;
        }
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree invocation, Void unused) {
                if (found[0] == null
                        && invocation.getMethodSelect() instanceof IdentifierTree identifier
                        && identifier.getName().contentEquals("super")) {
                    found[0] = trees.getElement(getCurrentPath());
                }
                return null;
            }
        }.scan(path, null);
        return found[0];
    }

    String answer(String path, int line, int column) {
        CompilationUnitTree unit = units.get(path);
        CallsAt calls = unit == null ? null : callsOf(path);
        if (calls == null) {
            return "none";
        }
        long offset = unit.getLineMap().getStartPosition(line) + column;
        TreePath call = calls.calls.get(offset);
        if (call == null) {
            return "none";
        }
        Element element = calledElement(call);
        if (element == null || element.asType().getKind().name().equals("ERROR")) {
            return "unresolved";
        }
        if (element.getKind() == ElementKind.CONSTRUCTOR
                && elements.getOrigin(element) == Elements.Origin.MANDATED) {
            element = element.getEnclosingElement(); // a default constructor: its class
        }
        TreePath declaration = trees.getPath(element);
        if (declaration == null) {
            return elements.getOrigin(element) == Elements.Origin.EXPLICIT ? "outside" : "implicit";
        }
        CompilationUnitTree where = declaration.getCompilationUnit();
        String file = Path.of(where.getSourceFile().toUri()).toString();
        if (!units.containsKey(file)) {
            return "outside";
        }
        SourcePositions positions = trees.getSourcePositions();
        LineMap lines = where.getLineMap();
        long start = positions.getStartPosition(where, declaration.getLeaf());
        String classStart = "";
        if (element.getKind() == ElementKind.CONSTRUCTOR) {
            // a constructor call also names its class (the target ours has when the class
            // declares several constructors, which the argument types pick)
            TreePath type = trees.getPath(element.getEnclosingElement());
            if (type != null && type.getCompilationUnit() == where) {
                classStart = Long.toString(
                        lines.getLineNumber(positions.getStartPosition(where, type.getLeaf())));
            }
        }
        long overloads = element.getKind() != ElementKind.METHOD ? 0 : overloadsAt(call, element);
        return String.join(
                "\t",
                "ok",
                element.getKind().name(),
                file,
                Long.toString(lines.getLineNumber(start)),
                classStart,
                overloads > 1 ? "overloaded" : "");
    }

    /** How many methods of the called method's name the receiver's type has, its own and
     * inherited ones (the class around a bare call; the method's own type when the receiver's
     * type is not a declared type): more than one is an overload the argument types pick. */
    long overloadsAt(TreePath call, Element method) {
        Element owner = method.getEnclosingElement();
        if (call.getLeaf() instanceof MethodInvocationTree invocation) {
            if (invocation.getMethodSelect() instanceof MemberSelectTree select) {
                TypeMirror receiver =
                        trees.getTypeMirror(new TreePath(call, select.getExpression()));
                Element type = receiver == null ? null : types.asElement(receiver);
                if (type instanceof TypeElement) {
                    owner = type;
                }
            } else {
                TypeElement around = trees.getScope(call).getEnclosingClass();
                if (around != null) {
                    owner = around;
                }
            }
        }
        if (!(owner instanceof TypeElement ownerType)) {
            return 0;
        }
        // by erased parameter types: an abstract method declared both by a superclass and by
        // an interface (`size()` of AbstractCollection and List) is one method, no overload
        return elements.getAllMembers(ownerType).stream()
                .filter(member -> member.getKind() == ElementKind.METHOD
                        && member.getSimpleName().equals(method.getSimpleName()))
                .map(member -> types.erasure(member.asType()) instanceof ExecutableType signature
                        ? signature.getParameterTypes().toString()
                        : member.toString())
                .distinct()
                .count();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java JavaResolve.java MODULE MODULE_SOURCE_ROOT FILES_LIST");
            System.exit(2);
        }
        String module = args[0];
        String moduleRoot = args[1];
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                files.add(Path.of(line.strip()));
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager fileManager =
                compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        Iterable<? extends JavaFileObject> sources = fileManager.getJavaFileObjectsFromPaths(files);
        List<String> options =
                List.of(
                        "--patch-module", module + "=" + moduleRoot,
                        "-proc:none",
                        "-implicit:none",
                        "-nowarn",
                        "-Xlint:none",
                        "-encoding", "UTF-8",
                        "-Xmaxerrs", "100000");
        JavacTask task =
                (JavacTask) compiler.getTask(null, fileManager, diagnostics, options, null, sources);
        Trees trees = Trees.instance(task);
        JavaResolve resolver = new JavaResolve(trees, task.getElements(), task.getTypes());
        for (CompilationUnitTree unit : task.parse()) {
            resolver.units.put(Path.of(unit.getSourceFile().toUri()).toString(), unit);
        }
        task.analyze();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                errors += 1;
                if (errors <= 20) {
                    System.err.println(diagnostic);
                }
            }
        }
        System.err.println("javac errors: " + errors);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println("version\t" + System.getProperty("java.version"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            String[] site = line.split("\t");
            out.println(
                    resolver.answer(site[0], Integer.parseInt(site[1]), Integer.parseInt(site[2])));
        }
        out.flush();
    }
}
