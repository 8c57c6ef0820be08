package dev.trainlayer.workflows.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.spec.ModelType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReproductionTest {
    static final Map<String, String> ENV = Map.of("xgboost4j", "3.1.1", "java", "17.0.12", "codeVersion", "abc");

    static Reproduction.Request request() {
        return new Reproduction.Request(3, "default/churn", "d".repeat(64), "004-xgboost", "xgboost", ModelType.XGBOOST,
                Map.of("eta", 0.1), 42, null, null, null,
                new Reproduction.Expected("m".repeat(64), "f".repeat(64), Map.of("roc_auc", 0.91, "log_loss", 0.3), ENV), null);
    }

    @Test
    void theSameModelAndMetricsAreIdenticalWhateverElseChanged() {
        Map<String, String> newer = new java.util.HashMap<>(ENV);
        newer.put("codeVersion", "def");
        Reproduction r = Reproduction.compare(request(), "d".repeat(64), "f".repeat(64), "m".repeat(64),
                Map.of("roc_auc", 0.91, "log_loss", 0.3, "accuracy", 0.8), newer);
        assertTrue(r.identical());
        assertEquals(List.of(new Reproduction.Difference("environment.codeVersion", "abc", "def")), r.differences(),
                "a change that did not matter is still listed");
        assertEquals(3, r.ofVersion());
    }

    @Test
    void aDifferentModelOrAnyMetricBitIsNotIdenticalAndSaysWhat() {
        Map<String, String> newer = new java.util.HashMap<>(ENV);
        newer.put("xgboost4j", "3.2.0");
        Reproduction r = Reproduction.compare(request(), "e".repeat(64), "f".repeat(64), "n".repeat(64),
                Map.of("roc_auc", Math.nextUp(0.91), "log_loss", 0.3), newer);
        assertFalse(r.identical());
        assertEquals(List.of("data.sha256", "model.sha256", "metrics.roc_auc", "environment.xgboost4j"),
                r.differences().stream().map(Reproduction.Difference::field).toList());
        assertEquals(0.91, r.differences().get(2).version());
        assertEquals(Math.nextUp(0.91), r.differences().get(2).reproduced());

        Reproduction missing = Reproduction.compare(request(), "d".repeat(64), "f".repeat(64), "m".repeat(64),
                Map.of("roc_auc", 0.91), ENV);
        assertFalse(missing.identical(), "a metric the version had and the reproduction lacks");
        assertEquals(new Reproduction.Difference("metrics.log_loss", 0.3, null), missing.differences().get(0));
    }
}
