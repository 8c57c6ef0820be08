package dev.trainlayer.workflows.spec;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text arrives as a spec, the parser and the validator answer with a spec or with violations:
 * never another exception (which the API would turn into a 500 and the workflow into a retried task).
 */
class SpecPropertiesTest {
    static final String VALID = """
            name: churn
            task: classification
            target: churned
            data: {uri: "s3://trainlayer/uploads/default/churn/a.csv"}
            features:
              exclude: [id]
              columns:
                income: {impute: median, scale: standardize, log1p: true}
                plan: {type: categorical, maxCategories: 20}
              derived:
                - {name: r, expression: "total / max(tenure, 1)"}
            split: {test: 0.2, validation: 0.15, stratify: true, seed: 42}
            models:
              - type: mlp
                params: {hiddenLayers: [32, 16]}
              - type: xgboost
                space: {maxDepth: {low: 2, high: 10}, eta: {low: 0.01, high: 0.3, log: true}}
            search: {algorithm: bayesian, trials: 10, parallelism: 2, pruning: {rule: asha}}
            metric: roc_auc
            gates: {min: {accuracy: 0.9}, maxDropVsChampion: 0.01}
            promotion: {mode: approval, approvalTimeout: 72h}
            incremental: {epochs: 5}
            """;

    /** Parses, defaults and validates; only {@link InvalidSpecException} may leave. */
    static void parseAndValidate(String text) {
        try {
            PipelineSpec spec = SpecParser.parse(text);
            SpecValidator.standard().validate(spec);
            spec.withDefaults();
            SpecParser.canonicalJson(spec);
            SpecParser.hash(spec);
        } catch (InvalidSpecException expected) {
            if (expected.violations().isEmpty()) {
                throw new AssertionError("an InvalidSpecException without violations for: " + text);
            }
        }
    }

    @Property(tries = 10_000, seed = PropertySeed.SEED)
    void arbitraryTextIsASpecOrViolations(@ForAll("text") String text) {
        parseAndValidate(text);
    }

    @Property(tries = 10_000, seed = PropertySeed.SEED)
    void mutatedValidSpecsAreSpecsOrViolations(@ForAll("mutations") String text) {
        parseAndValidate(text);
    }

    @Property(tries = 10_000, seed = PropertySeed.SEED)
    void structurallyPlausibleSpecsAreSpecsOrViolations(@ForAll("plausible") String text) {
        parseAndValidate(text);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("{}[]:,\"'-# \n\tabc019.&*!|>").ofMaxLength(200));
    }

    /** The valid spec with a few characters deleted, replaced or inserted, or lines dropped or duplicated. */
    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length() - 1);
        Arbitrary<Character> ch = Arbitraries.of('{', '}', '[', ']', ':', ',', '"', '-', ' ', '\n', '0', '9', 'x', '.', '&', '*', '#');
        Arbitrary<String> edit = Combinators.combine(position, ch, Arbitraries.integers().between(0, 4))
                .as((at, c, kind) -> switch (kind) {
                    case 0 -> VALID.substring(0, at) + VALID.substring(at + 1);
                    case 1 -> VALID.substring(0, at) + c + VALID.substring(at + 1);
                    case 2 -> VALID.substring(0, at) + c + VALID.substring(at);
                    case 3 -> dropLine(VALID, at);
                    default -> duplicateLine(VALID, at);
                });
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> edits.get(edits.size() - 1));
    }

    /** Specs of the right shape with values of every kind in every field. */
    @Provide
    Arbitrary<String> plausible() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("0", "-1", "1e309", "NaN", ".inf", "null", "true", "[]", "{}", "''", "\"\"", "999999999999999999999",
                        "[1, 2, 3]", "{low: 5, high: 1}", "{low: 0, high: 0, log: true}", "{choices: []}", "72h", "-5m", "abc"),
                Arbitraries.strings().alpha().numeric().withChars("._-/:").ofMaxLength(30).map(s -> "\"" + s + "\""),
                Arbitraries.doubles().between(-1e6, 1e6).map(Object::toString));
        List<String> fields = List.of("name", "task", "target", "data.uri", "data.format", "model", "seed", "split.test",
                "split.validation", "split.seed", "metric", "search.trials", "search.parallelism", "search.timeBudget",
                "search.kfold", "search.pruning.rule", "search.pruning.minResource", "gates.maxDropVsChampion",
                "promotion.mode", "promotion.approvalTimeout", "compute.device", "incremental.epochs",
                "incremental.learningRateFactor", "features.exclude", "features.derived");
        Arbitrary<String> line = Combinators.combine(Arbitraries.of(fields), value).as((f, v) -> nest(f, v));
        return line.list().ofMinSize(1).ofMaxSize(12).map(lines -> String.join("\n", lines) + "\n"
                + "models:\n  - type: " + (lines.size() % 2 == 0 ? "mlp" : "xgboost") + "\n    params: {maxEpochs: " + lines.size() + "}\n");
    }

    static String nest(String path, String value) {
        String[] parts = path.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            out.append(parts[i]).append(": {");
        }
        out.append(parts[parts.length - 1]).append(": ").append(value);
        out.append("}".repeat(parts.length - 1));
        return out.toString();
    }

    static String dropLine(String text, int at) {
        int start = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(0, start) + (end < 0 ? "" : text.substring(end + 1));
    }

    static String duplicateLine(String text, int at) {
        int start = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at);
        String line = end < 0 ? text.substring(start) : text.substring(start, end + 1);
        return text.substring(0, start) + line + text.substring(start);
    }
}
