package dev.trainlayer.workflows.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A small arithmetic language for derived feature columns, parsed once and evaluated per row.
 *
 * <pre>
 * expr   := term (('+' | '-') term)*
 * term   := unary (('*' | '/') unary)*
 * unary  := '-' unary | power
 * power  := atom ('^' unary)?
 * atom   := number | column | func '(' expr (',' expr)* ')' | '(' expr ')'
 * </pre>
 * Column names are identifiers ({@code [A-Za-z_][A-Za-z0-9_.]*}) or back-quoted ({@code `odd name`}).
 * A missing input or a non-finite result evaluates to NaN, which the feature pipeline imputes.
 */
public final class Expression {
    private static final Map<String, Integer> FUNCTIONS = Map.of(
            "log", 1, "log1p", 1, "exp", 1, "sqrt", 1, "abs", 1, "min", 2, "max", 2);

    private final Node root;
    private final Set<String> columns;

    private Expression(Node root, Set<String> columns) {
        this.root = root;
        this.columns = Collections.unmodifiableSet(columns);
    }

    /** Longer expressions are refused: a derived column is a formula, not a program. */
    public static final int MAX_LENGTH = 2_000;
    /** Deeper nesting (parentheses, function calls, unary minus, powers) is refused before the parser recurses. */
    public static final int MAX_DEPTH = 64;

    public static Expression parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        Parser p = new Parser(text);
        Node node = p.expr();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return new Expression(node, p.columns);
    }

    /** The columns this expression reads. */
    public Set<String> columns() {
        return columns;
    }

    /** Evaluates against a row; {@code column} returns NaN for a missing value. */
    public double evaluate(ToDoubleFunction<String> column) {
        double v = root.eval(column);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private interface Node {
        double eval(ToDoubleFunction<String> column);
    }

    private static final class Parser {
        final String text;
        int pos;
        final Set<String> columns = new LinkedHashSet<>();
        int depth;

        Parser(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            // Excerpts, not the whole input: the message goes into a 400 and into the run's failure.
            String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
            String why = what.length() > 200 ? what.substring(0, 197) + "..." : what;
            return new IllegalArgumentException("cannot parse '" + shown + "' at position " + (pos + 1) + ": " + why);
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        Node expr() {
            Node left = term();
            while (true) {
                if (eat('+')) {
                    Node l = left, r = term();
                    left = c -> l.eval(c) + r.eval(c);
                } else if (eat('-')) {
                    Node l = left, r = term();
                    left = c -> l.eval(c) - r.eval(c);
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = unary();
            while (true) {
                if (eat('*')) {
                    Node l = left, r = unary();
                    left = c -> l.eval(c) * r.eval(c);
                } else if (eat('/')) {
                    Node l = left, r = unary();
                    left = c -> l.eval(c) / r.eval(c);
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            // Every recursive path (groups, arguments, exponents, minus signs) passes here.
            if (++depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " levels deep");
            }
            try {
                if (eat('-')) {
                    Node inner = unary();
                    return c -> -inner.eval(c);
                }
                return power();
            } finally {
                depth--;
            }
        }

        Node power() {
            Node base = atom();
            if (eat('^')) {
                Node exponent = unary();
                return c -> Math.pow(base.eval(c), exponent.eval(c));
            }
            return base;
        }

        Node atom() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("expression ends too early");
            }
            char ch = text.charAt(pos);
            if (eat('(')) {
                Node inner = expr();
                if (!eat(')')) {
                    throw error("missing ')'");
                }
                return inner;
            }
            if (Character.isDigit(ch) || ch == '.') {
                int start = pos;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                        || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
                        || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && pos > start
                                && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
                    pos++;
                }
                try {
                    double value = Double.parseDouble(text.substring(start, pos));
                    return c -> value;
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("bad number");
                }
            }
            if (ch == '`') {
                int end = text.indexOf('`', pos + 1);
                if (end < 0) {
                    throw error("missing closing backquote");
                }
                String name = text.substring(pos + 1, end);
                pos = end + 1;
                return column(name);
            }
            if (Character.isLetter(ch) || ch == '_') {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                        || text.charAt(pos) == '_' || text.charAt(pos) == '.')) {
                    pos++;
                }
                String name = text.substring(start, pos);
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == '(') {
                    return function(name);
                }
                return column(name);
            }
            throw error("unexpected '" + ch + "'");
        }

        Node column(String name) {
            columns.add(name);
            return c -> c.applyAsDouble(name);
        }

        Node function(String name) {
            Integer arity = FUNCTIONS.get(name);
            if (arity == null) {
                throw error("unknown function '" + name + "'; known: " + String.join(", ", new java.util.TreeSet<>(FUNCTIONS.keySet())));
            }
            eat('(');
            List<Node> args = new ArrayList<>();
            if (!eat(')')) {
                do {
                    args.add(expr());
                } while (eat(','));
                if (!eat(')')) {
                    throw error("missing ')' after arguments of " + name);
                }
            }
            if (args.size() != arity) {
                throw error(name + " takes " + arity + " argument(s), got " + args.size());
            }
            Node a = args.get(0);
            Node b = arity > 1 ? args.get(1) : null;
            return switch (name) {
                case "log" -> c -> Math.log(a.eval(c));
                case "log1p" -> c -> Math.log1p(a.eval(c));
                case "exp" -> c -> Math.exp(a.eval(c));
                case "sqrt" -> c -> Math.sqrt(a.eval(c));
                case "abs" -> c -> Math.abs(a.eval(c));
                case "min" -> c -> Math.min(a.eval(c), b.eval(c));
                default -> c -> Math.max(a.eval(c), b.eval(c));
            };
        }
    }
}
