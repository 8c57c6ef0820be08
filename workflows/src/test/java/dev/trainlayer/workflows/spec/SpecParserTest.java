package dev.trainlayer.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    static final String MINIMAL = """
            name: churn
            task: classification
            target: churned
            data: {uri: "s3://data/churn.csv"}
            """;

    static List<Violation> violations(String text) {
        return assertThrows(InvalidSpecException.class, () -> SpecParser.parse(text)).violations();
    }

    static Violation only(String text) {
        List<Violation> v = violations(text);
        assertEquals(1, v.size(), v::toString);
        return v.get(0);
    }

    @Test
    void minimalSpecGetsDefaultsThatGeneralize() {
        PipelineSpec spec = SpecParser.parse(MINIMAL).withDefaults();
        assertEquals("churn", spec.model());
        assertEquals(Metric.ROC_AUC, spec.metric());
        assertEquals(List.of(ModelType.XGBOOST, ModelType.MLP, ModelType.LINEAR, ModelType.FOREST),
                spec.models().stream().map(ModelCandidate::type).toList(), "the trees, the network and the two baselines");
        assertEquals(List.of("xgboost", "mlp", "linear", "forest"), spec.models().stream().map(ModelCandidate::name).toList());
        assertEquals(List.of(ModelType.MLP, ModelType.XGBOOST), SpecParser.parse(MINIMAL)
                .withDefaults(PipelineSpec.EARLIER_DEFAULT_FAMILIES).models().stream().map(ModelCandidate::type).toList(),
                "what runs started before the baselines replay with");
        assertEquals(0.2, spec.split().test());
        assertTrue(spec.split().stratify());
        assertEquals(PipelineSpec.DEFAULT_SEED, spec.seed());
        assertEquals(PromotionSpec.Mode.AUTO, spec.promotion().mode());
        assertEquals(ModelType.MLP.defaults().get("patience"), spec.models().get(1).params().get("patience"));
        assertEquals(ModelType.FOREST.defaults().get("trees"), spec.models().get(3).params().get("trees"));
    }

    @Test
    void jsonAndYamlGiveTheSameSpecAndHash() {
        PipelineSpec yaml = SpecParser.parse(MINIMAL);
        PipelineSpec json = SpecParser.parse("""
                {"name": "churn", "task": "classification", "target": "churned", "data": {"uri": "s3://data/churn.csv"}}
                """);
        assertEquals(yaml, json);
        assertEquals(SpecParser.hash(yaml), SpecParser.hash(json));
        assertEquals(SpecParser.hash(yaml), SpecParser.hash(yaml.withDefaults()), "defaults are part of the hash");
        assertNotEquals(SpecParser.hash(yaml), SpecParser.hash(SpecParser.parse(MINIMAL + "seed: 1\n")));
    }

    @Test
    void incrementalSectionGetsDefaultsAndBoundsAreChecked() {
        PipelineSpec on = SpecParser.parse(MINIMAL + "incremental: {}\n").withDefaults();
        assertTrue(on.incrementalOn());
        assertEquals(new IncrementalSpec(true, 20, 100, 0.5, null), on.incremental());
        assertEquals(false, SpecParser.parse(MINIMAL + "incremental: {enabled: false}\n").withDefaults().incrementalOn());
        assertEquals(false, SpecParser.parse(MINIMAL).withDefaults().incrementalOn());
        assertFalse(SpecParser.canonicalJson(SpecParser.parse(MINIMAL).withDefaults()).contains("incremental"),
                "specs without the section keep the canonical form, and so the hash, they had before");
        List<Violation> v = violations(MINIMAL + "incremental: {epochs: 0, rounds: -1, learningRateFactor: 0, fromScratchEvery: 1}\n");
        assertEquals(List.of("incremental.epochs", "incremental.rounds", "incremental.fromScratchEvery", "incremental.learningRateFactor"),
                v.stream().map(Violation::path).toList());
        assertEquals("incremental.epoch", only(MINIMAL + "incremental: {epoch: 3}\n").path(), "a typo is an error");
    }

    @Test
    void optimizeSectionIsCheckedAndItsDropDefaultsFollowTheMetric() {
        OptimizeSpec o = SpecParser.parse(MINIMAL + "optimize: {prune: 0.5, quantize: INT8, maxMetricDrop: 0.01}\n").withDefaults().optimize();
        assertEquals(0.5, o.pruneOrDefault());
        assertTrue(o.int8());
        assertEquals(0.01, o.maxDrop(Metric.RMSE, 1000));
        OptimizeSpec defaults = SpecParser.parse(MINIMAL + "optimize: {}\n").optimize();
        assertEquals(0, defaults.pruneOrDefault());
        assertFalse(defaults.int8());
        assertEquals(0.005, defaults.maxDrop(Metric.ROC_AUC, 0.9), "bounded metrics: an absolute drop");
        assertEquals(5.0, defaults.maxDrop(Metric.RMSE, 1000), 1e-9, "error metrics: 0.5% of the original's value");
        assertFalse(SpecParser.canonicalJson(SpecParser.parse(MINIMAL).withDefaults()).contains("optimize"),
                "specs without the section keep their hash");
        List<Violation> v = violations(MINIMAL + "optimize: {prune: 0.99, quantize: int4, maxMetricDrop: -1}\n");
        assertEquals(List.of("optimize.prune", "optimize.quantize", "optimize.maxMetricDrop"), v.stream().map(Violation::path).toList());
        assertEquals("optimize.prunning", only(MINIMAL + "optimize: {prunning: 0.5}\n").path(), "a typo is an error");
    }

    @Test
    void regressionDefaultsToRmse() {
        PipelineSpec spec = SpecParser.parse(MINIMAL.replace("classification", "regression")).withDefaults();
        assertEquals(Metric.RMSE, spec.metric());
        assertEquals(false, spec.split().stratify());
    }

    @Test
    void malformedInputIsReportedAtTheRoot() {
        Violation v = only("{\"name\": ");
        assertEquals("$", v.path());
        assertTrue(v.message().startsWith("malformed"), v.message());
        assertEquals("$", only("").path());
    }

    @Test
    void unknownFieldsAreErrorsNamingTheField() {
        Violation v = only(MINIMAL + "splt: {test: 0.1}\n");
        assertEquals("splt", v.path());
        assertTrue(v.message().contains("'splt'") && v.message().contains("split"), v.message());
        Violation nested = only(MINIMAL + "split: {tset: 0.1}\n");
        assertEquals("split.tset", nested.path());
    }

    @Test
    void missingRequiredFieldsAreAllReported() {
        List<Violation> v = violations("name: x\n");
        assertEquals(List.of("task", "target", "data.uri"), v.stream().map(Violation::path).toList());
    }

    @Test
    void badEnumValuesListWhatIsAllowed() {
        Violation v = only(MINIMAL.replace("task: classification", "task: clustering"));
        assertEquals("task", v.path());
        assertTrue(v.message().contains("classification, regression"), v.message());
        assertEquals("models[0].type", only(MINIMAL + "models: [{type: svm}]\n").path());
    }

    @Test
    void splitFractionsMustLeaveRoomToTrain() {
        assertEquals("split.test", only(MINIMAL + "split: {test: -0.1}\n").path());
        assertEquals("split.validation", only(MINIMAL + "split: {validation: 1.5}\n").path());
        assertEquals("split", only(MINIMAL + "split: {test: 0.5, validation: 0.45}\n").path());
    }

    @Test
    void metricAndGatesMustMatchTheTask() {
        assertEquals("metric", only(MINIMAL + "metric: rmse\n").path());
        assertEquals("gates.min.r2", only(MINIMAL + "gates: {min: {r2: 0.5}}\n").path());
        assertEquals("gates.min.accuracyy", only(MINIMAL + "gates: {min: {accuracyy: 0.5}}\n").path());
        assertEquals("gates.maxDropVsChampion", only(MINIMAL + "gates: {maxDropVsChampion: -1}\n").path());
    }

    @Test
    void modelParamsAreCheckedByName() {
        Violation unknown = only(MINIMAL + "models: [{type: mlp, params: {layers: [3]}}]\n");
        assertEquals("models[0].params.layers", unknown.path());
        assertTrue(unknown.message().contains("hiddenLayers"));
        assertEquals("models[0].params.dropout", only(MINIMAL + "models: [{type: mlp, params: {dropout: 2}}]\n").path());
        assertEquals("models[0].params.maxDepth", only(MINIMAL + "models: [{type: xgboost, params: {maxDepth: 2.5}}]\n").path());
        assertEquals("models[1].name", only(MINIMAL + "models: [{type: mlp}, {type: mlp}]\n").path());
    }

    @Test
    void theBaselineFamiliesTakeTheirOwnParameters() {
        PipelineSpec spec = SpecParser.parse(MINIMAL + """
                models:
                  - {type: linear, params: {lambda: 0.01, alpha: 0.001}}
                  - {type: forest, params: {trees: 300, maxDepth: 16, colsampleBynode: 0.3}, space: {minChildWeight: {low: 1, high: 10, log: true}}}
                search: {trials: 10}
                """).withDefaults();
        assertEquals(0.01, spec.models().get(0).params().get("lambda"));
        assertEquals(300, ((Number) spec.models().get(1).params().get("trees")).intValue());
        Violation boosted = only(MINIMAL + "models: [{type: linear, params: {maxDepth: 3}}]\n");
        assertEquals("models[0].params.maxDepth", boosted.path());
        assertTrue(boosted.message().contains("alpha, classWeights, earlyStoppingRounds, eta, lambda, numRounds"), boosted.message());
        // Every family weighs classes (classification only); the MLP also takes input noise.
        assertEquals("models[0].params.classWeights", only(MINIMAL + "models: [{type: forest, params: {classWeights: equal}}]\n").path());
        assertTrue(only(MINIMAL + "models: [{type: mlp, params: {classWeights: equal}}]\n").message()
                .contains("must be auto, balanced or none"));
        assertEquals("models[0].params.inputNoise", only(MINIMAL + "models: [{type: mlp, params: {inputNoise: -1}}]\n").path());
        assertEquals("models[0].params.inputNoise", only(MINIMAL + "models: [{type: xgboost, params: {inputNoise: 0.1}}]\n").path());
        assertEquals("models[0].params.classWeights", only(MINIMAL.replace("classification", "regression").replace("roc_auc", "rmse")
                + "models: [{type: xgboost, params: {classWeights: balanced}}]\n").path());
        SpecParser.parse(MINIMAL + "models: [{type: mlp, params: {classWeights: balanced, inputNoise: 0.1},"
                + " space: {classWeights: {choices: [none, balanced]}}}]\nsearch: {trials: 4}\n");
        assertEquals("models[0].params.trees", only(MINIMAL + "models: [{type: forest, params: {trees: 0}}]\n").path());
        assertEquals("models[0].params.colsampleBynode", only(MINIMAL + "models: [{type: forest, params: {colsampleBynode: 1.5}}]\n").path());
        assertEquals("models[0].params.alpha", only(MINIMAL + "models: [{type: linear, params: {alpha: -1}}]\n").path());
        assertEquals("models[0].params.numRounds", only(MINIMAL + "models: [{type: forest, params: {numRounds: 10}}]\n").path());
    }

    @Test
    void dataUriMustBeS3() {
        assertEquals("data.uri", only(MINIMAL.replace("s3://data/churn.csv", "/tmp/churn.csv")).path());
        assertEquals("data.format", only(MINIMAL.replace("{uri: \"s3://data/churn.csv\"}", "{uri: \"s3://data/x\", format: avro}")).path());
        assertEquals("data.feedback", only(MINIMAL.replace("{uri: \"s3://data/churn.csv\"}", "{uri: \"s3://data/x\", feedback: sometimes}")).path());
        assertEquals("parquet", SpecParser.parse(MINIMAL.replace("{uri: \"s3://data/churn.csv\"}", "{uri: \"s3://data/x/\", format: parquet}"))
                .withDefaults().data().format());
    }

    @Test
    void featureRulesNameTheColumn() {
        assertEquals("features.derived[0].expression",
                only(MINIMAL + "features: {derived: [{name: r, expression: \"a / \"}]}\n").path());
        assertEquals("features.derived[0].expression",
                only(MINIMAL + "features: {derived: [{name: r, expression: \"churned * 2\"}]}\n").path());
        assertEquals("features.columns.plan.fill",
                only(MINIMAL + "features: {columns: {plan: {impute: constant}}}\n").path());
        assertEquals("features.columns.plan.impute",
                only(MINIMAL + "features: {columns: {plan: {type: categorical, impute: mean}}}\n").path());
        assertEquals("features.columns.age.buckets",
                only(MINIMAL + "features: {columns: {age: {buckets: [30, 20]}}}\n").path());
    }

    @Test
    void promotionTimeoutIsADuration() {
        assertEquals("promotion.approvalTimeout", only(MINIMAL + "promotion: {mode: approval, approvalTimeout: soon}\n").path());
        assertEquals(java.time.Duration.ofHours(24),
                SpecParser.parse(MINIMAL + "promotion: {mode: approval, approvalTimeout: 24h}\n").promotion().approvalTimeoutDuration());
    }

    @Test
    void searchSectionsAndSpacesAreValidatedWithPaths() {
        PipelineSpec spec = SpecParser.parse(MINIMAL + """
                search: {trials: 10}
                models:
                  - type: mlp
                    space:
                      learningRate: {low: 0.0001, high: 0.1, log: true}
                      hiddenLayers: {choices: [[32], [64, 32]]}
                  - type: xgboost
                """).withDefaults();
        assertEquals(SearchSpec.Algorithm.BAYESIAN, spec.search().algorithm());
        assertEquals(2, spec.search().parallelism());
        assertEquals(PipelineSpec.DEFAULT_SEED, spec.search().seed());
        assertEquals(ModelType.XGBOOST.defaultSpace(), spec.models().get(1).spaceOrDefault());

        assertEquals("search.trials", only(MINIMAL + "search: {trials: 0}\n").path());
        assertEquals("search.parallelism", only(MINIMAL + "search: {parallelism: 100}\n").path());
        assertEquals("search.timeBudget", only(MINIMAL + "search: {timeBudget: forever}\n").path());
        assertEquals("search.algorithm", only(MINIMAL + "search: {algorithm: annealing}\n").path());
        assertEquals("search.kfold", only(MINIMAL + "search: {kfold: 1}\n").path());
        assertEquals("search.pruning.reductionFactor", only(MINIMAL + "search: {pruning: {rule: asha, reductionFactor: 1}}\n").path());
        assertEquals("search.pruning.minResource", only(MINIMAL + "search: {pruning: {minResource: 0}}\n").path());
        assertEquals("search.pruning.rule", only(MINIMAL + "search: {pruning: {rule: hyperband}}\n").path());
        assertEquals(PruningSpec.Rule.MEDIAN, spec.search().pruning().rule(), "the median rule is on by default");
        assertEquals(5, spec.search().pruning().startupTrials());
        assertEquals(null, spec.search().kfold(), "k-fold is off by default");
        String space = MINIMAL + "search: {}\nmodels: [{type: mlp, space: {%s}}]\n";
        assertEquals("models[0].space.learningRate", only(space.formatted("learningRate: {low: 0.1, high: 0.01}")).path());
        assertEquals("models[0].space.learningRate", only(space.formatted("learningRate: {low: 0, high: 0.1, log: true}")).path());
        assertEquals("models[0].space.batchSize", only(space.formatted("batchSize: {low: 8.5, high: 64}")).path());
        assertEquals("models[0].space.dropout", only(space.formatted("dropout: {choices: [0.1, 3]}")).path());
        assertEquals("models[0].space.depth", only(space.formatted("depth: {low: 1, high: 3}")).path());
        assertEquals("models[0].space", only(MINIMAL + "models: [{type: mlp, space: {dropout: {low: 0, high: 0.5}}}]\n").path(),
                "a space without a search section is a mistake");
    }

    @Test
    void everyDefaultSpaceIsValid() {
        for (ModelType type : ModelType.values()) {
            type.defaultSpace().forEach((name, range) -> {
                PipelineSpec spec = SpecParser.parse(MINIMAL + "search: {}\nmodels: [{type: " + type.wire() + "}]\n");
                assertTrue(spec.withDefaults().models().get(0).spaceOrDefault().containsKey(name));
            });
            ModelCandidate withSpace = new ModelCandidate(type, null, null, type.defaultSpace());
            PipelineSpec spec = new PipelineSpec("x", Task.CLASSIFICATION, "y", null, new DataSpec("s3://bucket/k.csv", null), null,
                    null, List.of(withSpace), null, null, null, null, new SearchSpec(null, null, null, null, null, null, null, null, null, null), null);
            assertEquals(List.of(), SpecValidator.standard().validate(spec), type + " default space");
        }
    }
}
