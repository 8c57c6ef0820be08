package dev.trainlayer.workflows.spec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The expression parser answers an expression or an {@link IllegalArgumentException}, and expressions evaluate. */
class ExpressionPropertiesTest {
    static void parseAndEvaluate(String text) {
        try {
            Expression e = Expression.parse(text);
            double v = e.evaluate(column -> column.length() % 3 == 0 ? Double.NaN : column.length());
            if (Double.isInfinite(v)) {
                throw new AssertionError("an infinite value leaked out of " + text);
            }
        } catch (IllegalArgumentException expected) {
            if (expected.getMessage() == null || expected.getMessage().length() > 400) {
                throw new AssertionError("an unhelpful or unbounded message for: " + text);
            }
        }
    }

    @Property(tries = 10_000, seed = PropertySeed.SEED)
    void tokenSoupIsAnExpressionOrARefusal(@ForAll("tokens") String text) {
        parseAndEvaluate(text);
    }

    @Property(tries = 10_000, seed = PropertySeed.SEED)
    void arbitraryTextIsAnExpressionOrARefusal(@ForAll("text") String text) {
        parseAndEvaluate(text);
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.of("a", "b_1", "`odd name`", "`", "1", "2.5", "1e308", "0", "-", "+", "*", "/", "^", "(", ")", ",",
                        "log(", "log1p(", "exp(", "sqrt(", "abs(", "min(", "max(", "foo(", " ", ".", "1e", "9" .repeat(400))
                .list().ofMaxSize(80).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.integers().between(0, 3000).map(n -> "(".repeat(n) + "a" + ")".repeat(n)),
                Arbitraries.integers().between(0, 3000).map(n -> "-".repeat(n) + "a"),
                Arbitraries.integers().between(0, 1500).map(n -> "a" + "+a".repeat(n)));
    }
}
