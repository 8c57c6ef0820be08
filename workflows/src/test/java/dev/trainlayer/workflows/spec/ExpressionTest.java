package dev.trainlayer.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    static double eval(String expression, Map<String, Double> row) {
        return Expression.parse(expression).evaluate(c -> row.getOrDefault(c, Double.NaN));
    }

    @Test
    void arithmeticFollowsPrecedence() {
        assertEquals(7.0, eval("1 + 2 * 3", Map.of()));
        assertEquals(9.0, eval("(1 + 2) * 3", Map.of()));
        assertEquals(-8.0, eval("-2 ^ 3", Map.of()));
        assertEquals(0.5, eval("1 / 2", Map.of()));
        assertEquals(2e-3, eval("2e-3", Map.of()));
    }

    @Test
    void columnsAndFunctions() {
        Map<String, Double> row = Map.of("weight", 80.0, "height", 2.0, "odd name", 3.0);
        assertEquals(20.0, eval("weight / (height * height)", row));
        assertEquals(Math.log1p(80.0), eval("log1p(weight)", row));
        assertEquals(3.0, eval("max(`odd name`, 1)", row));
        assertEquals(Set.of("weight", "height"), Expression.parse("weight / height ^ 2").columns());
    }

    @Test
    void missingOrNonFiniteResultsAreNaN() {
        assertTrue(Double.isNaN(eval("a + 1", Map.of())));
        assertTrue(Double.isNaN(eval("1 / 0", Map.of())));
        assertTrue(Double.isNaN(eval("log(-1)", Map.of())));
    }

    @Test
    void errorsSayWhere() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("a +")).getMessage().contains("ends too early"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("foo(a)")).getMessage().contains("unknown function"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("(a")).getMessage().contains("missing ')'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("min(a)")).getMessage().contains("2 argument"));
    }

    @Test
    void deepAndLongExpressionsAreRefusedNotRecursedInto() {
        String deep = "(".repeat(20_000) + "a" + ")".repeat(20_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse(deep)).getMessage().contains("at most 2000"));
        String nested = "(".repeat(500) + "a" + ")".repeat(500);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expression.parse(nested));
        assertTrue(e.getMessage().contains("nested more than 64"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, "the message quotes a short excerpt, not the whole expression");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("-".repeat(100) + "a")).getMessage().contains("nested"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse("abs(".repeat(100) + "a" + ")".repeat(100)))
                .getMessage().contains("nested"));
        assertEquals(3.0, Expression.parse("(".repeat(60) + "a" + ")".repeat(60)).evaluate(c -> 3.0), 0.0);
    }
}
