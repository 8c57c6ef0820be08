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
}
