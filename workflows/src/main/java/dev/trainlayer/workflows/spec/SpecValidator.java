package dev.trainlayer.workflows.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The spec rules, run by the API (answering 400) and again inside the workflow (failing fast with the
 * non-retryable {@code INVALID_SPEC}). Column-level checks that need the data (does the target exist,
 * is it numeric) run in the {@code validate} activity.
 */
public final class SpecValidator {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)");
    static final double MAX_HOLDOUT = 0.9;

    private final List<SpecRule> rules;

    public SpecValidator(List<SpecRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static SpecValidator standard() {
        return new SpecValidator(List.of(
                rule("required-fields", SpecValidator::requiredFields),
                rule("names", SpecValidator::names),
                rule("data-uri", SpecValidator::dataUri),
                rule("split-fractions", SpecValidator::splitFractions),
                rule("metric-matches-task", SpecValidator::metricMatchesTask),
                rule("model-candidates", SpecValidator::modelCandidates),
                rule("gates", SpecValidator::gates),
                rule("validation", SpecValidator::validation),
                rule("features", SpecValidator::features),
                rule("promotion", SpecValidator::promotion),
                rule("search", SpecValidator::search),
                rule("incremental", SpecValidator::incremental),
                rule("about", SpecValidator::about),
                rule("optimize", SpecValidator::optimize)));
    }

    public List<Violation> validate(PipelineSpec spec) {
        List<Violation> out = new ArrayList<>();
        for (SpecRule rule : rules) {
            out.addAll(rule.check(spec));
        }
        return out;
    }

    /** Throws {@link InvalidSpecException} when any rule fails. */
    public void require(PipelineSpec spec) {
        List<Violation> violations = validate(spec);
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }

    static SpecRule rule(String name, Function<PipelineSpec, List<Violation>> check) {
        return new SpecRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Violation> check(PipelineSpec spec) {
                return check.apply(spec);
            }
        };
    }

    private static List<Violation> requiredFields(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        if (blank(s.name())) {
            v.add(new Violation("name", "is required: a short pipeline name such as 'churn'"));
        }
        if (s.task() == null) {
            v.add(new Violation("task", "is required: one of " + Enums.allowed(Task.class)));
        }
        if (blank(s.target())) {
            v.add(new Violation("target", "is required: the name of the column to predict"));
        }
        if (s.data() == null || blank(s.data().uri())) {
            v.add(new Violation("data.uri", "is required: s3://bucket/key.csv or s3://bucket/prefix/ of CSV parts"));
        }
        return v;
    }

    private static List<Violation> names(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        if (!blank(s.name()) && !NAME.matcher(s.name()).matches()) {
            v.add(new Violation("name", "'" + s.name() + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
        if (!blank(s.model()) && !NAME.matcher(s.model()).matches()) {
            v.add(new Violation("model", "'" + s.model() + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
        return v;
    }

    private static List<Violation> dataUri(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        if (s.data() == null) {
            return v;
        }
        if (!blank(s.data().uri())) {
            var m = S3_URI.matcher(s.data().uri());
            if (!m.matches()) {
                v.add(new Violation("data.uri", "'" + s.data().uri() + "' is not an s3://bucket/key URI (upload a CSV with PUT /api/v1/datasets/{name} to get one)"));
            }
        }
        if (s.data().format() != null && !s.data().format().equalsIgnoreCase("csv") && !s.data().format().equalsIgnoreCase("parquet")) {
            v.add(new Violation("data.format", "'" + s.data().format() + "' is not supported; use csv or parquet"));
        }
        if (s.data().feedback() != null && !s.data().feedback().equalsIgnoreCase(DataSpec.INCLUDE)
                && !s.data().feedback().equalsIgnoreCase(DataSpec.EXCLUDE)) {
            v.add(new Violation("data.feedback", "'" + s.data().feedback() + "' is not one of include, exclude"));
        }
        return v;
    }

    private static List<Violation> splitFractions(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        SplitSpec split = s.split();
        if (split == null) {
            return v;
        }
        fraction(v, "split.test", split.test());
        fraction(v, "split.validation", split.validation());
        double test = split.test() == null ? SplitSpec.DEFAULT_TEST : split.test();
        double val = split.validation() == null ? SplitSpec.DEFAULT_VALIDATION : split.validation();
        if (v.isEmpty() && test + val > MAX_HOLDOUT) {
            v.add(new Violation("split", "test + validation = " + (test + val) + " leaves too little to train on; keep the sum at most " + MAX_HOLDOUT));
        }
        return v;
    }

    private static void fraction(List<Violation> v, String path, Double value) {
        if (value != null && (!(value > 0.0) || value >= 1.0 || value.isNaN())) {
            v.add(new Violation(path, "must be a fraction between 0 and 1 (exclusive), got " + value));
        }
    }

    private static List<Violation> metricMatchesTask(PipelineSpec s) {
        if (s.metric() != null && s.task() != null && s.metric().task() != s.task()) {
            return List.of(new Violation("metric", "'" + s.metric().wire() + "' is a " + s.metric().task().wire()
                    + " metric but the task is " + s.task().wire()));
        }
        return List.of();
    }

    private static List<Violation> modelCandidates(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        if (s.models() == null) {
            return v;
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < s.models().size(); i++) {
            ModelCandidate c = s.models().get(i);
            String path = "models[" + i + "]";
            if (c == null || c.type() == null) {
                v.add(new Violation(path + ".type", "is required: one of " + Enums.allowed(ModelType.class)));
                continue;
            }
            String label = c.name() == null ? c.type().wire() : c.name();
            if (!labels.add(label)) {
                v.add(new Violation(path + ".name", "'" + label + "' is used by two candidates; give each a distinct name"));
            } else if (!NAME.matcher(label).matches()) {
                v.add(new Violation(path + ".name", "'" + label + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'"));
            }
            if (c.params() == null) {
                continue;
            }
            for (Map.Entry<String, Object> p : c.params().entrySet()) {
                String ppath = path + ".params." + p.getKey();
                if (!c.type().parameterNames().contains(p.getKey())) {
                    v.add(new Violation(ppath, "unknown parameter for " + c.type().wire() + "; known: "
                            + String.join(", ", new java.util.TreeSet<>(c.type().parameterNames()))));
                    continue;
                }
                String problem = ModelParams.check(c.type(), p.getKey(), p.getValue());
                if (problem != null) {
                    v.add(new Violation(ppath, problem));
                } else if (p.getKey().equals(ModelParams.CLASS_WEIGHTS) && s.task() == Task.REGRESSION
                        && "balanced".equals(String.valueOf(p.getValue()))) {
                    v.add(new Violation(ppath, "weighs classes: a classification parameter, and the task is regression"));
                }
            }
        }
        return v;
    }

    private static List<Violation> gates(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        GatesSpec g = s.gates();
        if (g == null) {
            return v;
        }
        checkGateMetrics(v, "gates.min", g.min(), s.task());
        checkGateMetrics(v, "gates.max", g.max(), s.task());
        if (g.maxDropVsChampion() != null && (g.maxDropVsChampion() < 0 || g.maxDropVsChampion().isNaN())) {
            v.add(new Violation("gates.maxDropVsChampion", "must be 0 or more (how much worse than the champion is tolerated), got " + g.maxDropVsChampion()));
        }
        GatesSpec.Significance sig = g.significance();
        if (sig != null) {
            String test = sig.test() == null ? GatesSpec.Significance.BOOTSTRAP : sig.test().toLowerCase(java.util.Locale.ROOT);
            if (!test.equals(GatesSpec.Significance.BOOTSTRAP) && !test.equals(GatesSpec.Significance.MCNEMAR)) {
                v.add(new Violation("gates.significance.test", "'" + sig.test() + "' is not one of bootstrap, mcnemar"));
            } else if (test.equals(GatesSpec.Significance.MCNEMAR) && s.task() == Task.REGRESSION) {
                v.add(new Violation("gates.significance.test", "mcnemar compares right and wrong answers: it needs a "
                        + "classification task; use bootstrap for regression"));
            }
            if (sig.alpha() != null && !(sig.alpha() > 0 && sig.alpha() < 0.5)) {
                v.add(new Violation("gates.significance.alpha", "must be above 0 and below 0.5 (e.g. 0.05), got " + sig.alpha()));
            }
            if (sig.resamples() != null && (sig.resamples() < 100 || sig.resamples() > 100_000)) {
                v.add(new Violation("gates.significance.resamples", "must be between 100 and 100000, got " + sig.resamples()));
            }
        }
        return v;
    }

    private static List<Violation> validation(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        ValidationSpec rules = s.validation();
        if (rules == null) {
            return v;
        }
        if (rules.labelBalance() != null) {
            Double share = rules.labelBalance().minShare();
            if (share != null && !(share >= 0 && share < 0.5)) {
                v.add(new Violation("validation.labelBalance.minShare", "must be at least 0 and below 0.5 (a class's share of the labels), got " + share));
            }
            if (!ValidationSpec.validAction(rules.labelBalance().action())) {
                v.add(new Violation("validation.labelBalance.action", "'" + rules.labelBalance().action() + "' is not one of warn, fail"));
            }
        }
        if (rules.drift() != null) {
            Double psi = rules.drift().maxPsi();
            if (psi != null && !(psi > 0)) {
                v.add(new Violation("validation.drift.maxPsi", "must be a PSI above 0 (0.1 moderate, 0.25 major shift), got " + psi));
            }
            if (!ValidationSpec.validAction(rules.drift().action())) {
                v.add(new Violation("validation.drift.action", "'" + rules.drift().action() + "' is not one of warn, fail"));
            }
        }
        return v;
    }

    private static void checkGateMetrics(List<Violation> v, String path, Map<String, Double> bounds, Task task) {
        for (Map.Entry<String, Double> e : bounds.entrySet()) {
            Metric metric;
            try {
                metric = Metric.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                v.add(new Violation(path + "." + e.getKey(), "unknown metric: " + ex.getMessage()));
                continue;
            }
            if (task != null && metric.task() != task) {
                v.add(new Violation(path + "." + e.getKey(), "is a " + metric.task().wire() + " metric but the task is " + task.wire()));
            }
            if (e.getValue() == null || e.getValue().isNaN() || e.getValue().isInfinite()) {
                v.add(new Violation(path + "." + e.getKey(), "must be a finite number"));
            }
        }
    }

    private static List<Violation> features(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        FeaturesSpec f = s.features();
        if (f == null) {
            return v;
        }
        Set<String> derivedNames = new HashSet<>();
        for (int i = 0; i < f.derived().size(); i++) {
            DerivedColumn d = f.derived().get(i);
            String path = "features.derived[" + i + "]";
            if (d == null || blank(d.name())) {
                v.add(new Violation(path + ".name", "is required"));
                continue;
            }
            if (!derivedNames.add(d.name())) {
                v.add(new Violation(path + ".name", "'" + d.name() + "' is defined twice"));
            }
            if (d.name().equals(s.target())) {
                v.add(new Violation(path + ".name", "'" + d.name() + "' is the target column; a derived column cannot replace it"));
            }
            if (blank(d.expression())) {
                v.add(new Violation(path + ".expression", "is required, e.g. 'weight / (height * height)'"));
                continue;
            }
            try {
                Set<String> refs = Expression.parse(d.expression()).columns();
                if (s.target() != null && refs.contains(s.target())) {
                    v.add(new Violation(path + ".expression", "uses the target column '" + s.target() + "'; that would leak the label into the features"));
                }
            } catch (IllegalArgumentException e) {
                v.add(new Violation(path + ".expression", e.getMessage()));
            }
        }
        for (Map.Entry<String, ColumnSpec> e : f.columns().entrySet()) {
            String path = "features.columns." + e.getKey();
            ColumnSpec c = e.getValue();
            if (c == null) {
                continue;
            }
            if (e.getKey().equals(s.target())) {
                v.add(new Violation(path, "is the target column; describe only input columns here"));
            }
            if (c.impute() == ColumnSpec.Impute.CONSTANT && c.fill() == null) {
                v.add(new Violation(path + ".fill", "is required when impute is constant"));
            }
            if (c.type() == ColumnSpec.ColumnType.CATEGORICAL && (c.scale() != null && c.scale() != ColumnSpec.Scale.NONE
                    || Boolean.TRUE.equals(c.log1p()) || c.buckets() != null)) {
                v.add(new Violation(path, "a categorical column is one-hot encoded; scale, log1p and buckets apply to numeric columns only"));
            }
            if (c.type() == ColumnSpec.ColumnType.CATEGORICAL
                    && (c.impute() == ColumnSpec.Impute.MEAN || c.impute() == ColumnSpec.Impute.MEDIAN)) {
                v.add(new Violation(path + ".impute", "mean and median need a numeric column; use most_frequent or constant"));
            }
            if (c.buckets() != null) {
                if (c.buckets().isEmpty()) {
                    v.add(new Violation(path + ".buckets", "needs at least one boundary"));
                }
                for (int i = 1; i < c.buckets().size(); i++) {
                    if (!(c.buckets().get(i) > c.buckets().get(i - 1))) {
                        v.add(new Violation(path + ".buckets", "boundaries must be strictly ascending"));
                        break;
                    }
                }
            }
            if (c.maxCategories() != null && c.maxCategories() < 1) {
                v.add(new Violation(path + ".maxCategories", "must be at least 1"));
            }
        }
        if (s.target() != null && f.exclude().contains(s.target())) {
            v.add(new Violation("features.exclude", "lists the target column '" + s.target() + "'; the target is never a feature anyway, remove it here"));
        }
        return v;
    }

    private static List<Violation> promotion(PipelineSpec s) {
        if (s.promotion() == null || s.promotion().approvalTimeout() == null) {
            return List.of();
        }
        try {
            var d = Durations.parse(s.promotion().approvalTimeout());
            if (d.isNegative() || d.isZero()) {
                return List.of(new Violation("promotion.approvalTimeout", "must be positive"));
            }
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new Violation("promotion.approvalTimeout", e.getMessage()));
        }
    }

    /** What the model card says of the pipeline (description, owner, tags) and how much of it the store keeps. */
    private static List<Violation> about(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        if (s.description() != null && s.description().length() > 4000) {
            v.add(new Violation("description", "must be at most 4000 characters, got " + s.description().length()));
        }
        if (s.owner() != null && (s.owner().isBlank() || s.owner().length() > 200)) {
            v.add(new Violation("owner", "must be a name, a team or an address of at most 200 characters"));
        }
        if (s.tags() != null) {
            if (s.tags().size() > 32) {
                v.add(new Violation("tags", "at most 32 tags, got " + s.tags().size()));
            }
            for (int i = 0; i < s.tags().size(); i++) {
                String tag = s.tags().get(i);
                if (tag == null || !tag.matches("[A-Za-z0-9][A-Za-z0-9 ._:/=-]{0,63}")) {
                    v.add(new Violation("tags[" + i + "]", "a tag is 1 to 64 letters, digits, spaces or . _ : / = -, starting "
                            + "with a letter or digit; got " + (tag == null ? "null" : "'" + tag + "'")));
                }
            }
        }
        if (s.retention() != null && s.retention().keepVersions() != null
                && (s.retention().keepVersions() < 1 || s.retention().keepVersions() > 100_000)) {
            v.add(new Violation("retention.keepVersions", "must be between 1 and 100000 versions, got " + s.retention().keepVersions()));
        }
        return v;
    }

    private static List<Violation> optimize(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        OptimizeSpec o = s.optimize();
        if (o == null) {
            return v;
        }
        if (o.prune() != null && !(o.prune() >= 0 && o.prune() <= OptimizeSpec.MAX_PRUNE)) {
            v.add(new Violation("optimize.prune", "the share of weights or splits to remove must be between 0 and "
                    + OptimizeSpec.MAX_PRUNE + ", got " + o.prune()));
        }
        if (o.quantize() != null && !o.quantize().equalsIgnoreCase(OptimizeSpec.INT8) && !o.quantize().equalsIgnoreCase(OptimizeSpec.NONE)) {
            v.add(new Violation("optimize.quantize", "must be int8 or none, got '" + o.quantize() + "'"));
        }
        if (o.maxMetricDrop() != null && !(o.maxMetricDrop() >= 0 && Double.isFinite(o.maxMetricDrop()))) {
            v.add(new Violation("optimize.maxMetricDrop", "must be 0 or more, in the metric's own units, got " + o.maxMetricDrop()));
        }
        return v;
    }

    private static List<Violation> incremental(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        IncrementalSpec inc = s.incremental();
        if (inc == null) {
            return v;
        }
        if (inc.epochs() != null && (inc.epochs() < 1 || inc.epochs() > 10_000)) {
            v.add(new Violation("incremental.epochs", "must be between 1 and 10000 further epochs, got " + inc.epochs()));
        }
        if (inc.rounds() != null && (inc.rounds() < 1 || inc.rounds() > 100_000)) {
            v.add(new Violation("incremental.rounds", "must be between 1 and 100000 further boosting rounds, got " + inc.rounds()));
        }
        if (inc.fromScratchEvery() != null && (inc.fromScratchEvery() < 2 || inc.fromScratchEvery() > 10_000)) {
            v.add(new Violation("incremental.fromScratchEvery", "must be between 2 and 10000 runs, got " + inc.fromScratchEvery()
                    + "; leave it out to continue the champion every time"));
        }
        if (inc.learningRateFactor() != null && !(inc.learningRateFactor() > 0 && inc.learningRateFactor() <= 10)) {
            v.add(new Violation("incremental.learningRateFactor", "must be above 0 and at most 10, got " + inc.learningRateFactor()));
        }
        return v;
    }

    private static List<Violation> search(PipelineSpec s) {
        List<Violation> v = new ArrayList<>();
        SearchSpec search = s.search();
        if (search != null) {
            if (search.trials() != null && (search.trials() < 1 || search.trials() > 10_000)) {
                v.add(new Violation("search.trials", "must be between 1 and 10000, got " + search.trials()));
            }
            if (search.parallelism() != null && (search.parallelism() < 1 || search.parallelism() > 64)) {
                v.add(new Violation("search.parallelism", "must be between 1 and 64, got " + search.parallelism()));
            }
            if (search.timeBudget() != null) {
                try {
                    if (Durations.parse(search.timeBudget()).isNegative() || Durations.parse(search.timeBudget()).isZero()) {
                        v.add(new Violation("search.timeBudget", "must be positive"));
                    }
                } catch (IllegalArgumentException e) {
                    v.add(new Violation("search.timeBudget", e.getMessage()));
                }
            }
            if (search.kfold() != null && (search.kfold() < 2 || search.kfold() > 20)) {
                v.add(new Violation("search.kfold", "must be between 2 and 20 folds, got " + search.kfold()
                        + "; leave it out to score trials on the validation split"));
            }
            PruningSpec pruning = search.pruning();
            if (pruning != null) {
                if (pruning.startupTrials() != null && (pruning.startupTrials() < 1 || pruning.startupTrials() > 1000)) {
                    v.add(new Violation("search.pruning.startupTrials", "must be between 1 and 1000, got " + pruning.startupTrials()));
                }
                if (pruning.minResource() != null && (pruning.minResource() < 1 || pruning.minResource() > 100_000)) {
                    v.add(new Violation("search.pruning.minResource", "must be between 1 and 100000 epochs or rounds, got "
                            + pruning.minResource()));
                }
                if (pruning.reductionFactor() != null && (pruning.reductionFactor() < 2 || pruning.reductionFactor() > 10)) {
                    v.add(new Violation("search.pruning.reductionFactor", "must be between 2 and 10, got " + pruning.reductionFactor()));
                }
            }
        }
        if (s.models() == null) {
            return v;
        }
        for (int i = 0; i < s.models().size(); i++) {
            ModelCandidate c = s.models().get(i);
            if (c == null || c.type() == null || c.space() == null) {
                continue;
            }
            String path = "models[" + i + "].space";
            if (search == null) {
                v.add(new Violation(path, "is only used by a search: add a search section (e.g. search: {trials: 20})"));
            }
            if (c.space().isEmpty()) {
                v.add(new Violation(path, "is empty; leave it out to search the default space of " + c.type().wire()));
            }
            boolean layers = c.space().containsKey(ModelType.LAYERS);
            boolean units = c.space().containsKey(ModelType.UNITS);
            if (layers != units) {
                v.add(new Violation(path + "." + (layers ? ModelType.LAYERS : ModelType.UNITS),
                        "layers and units are searched together (units is each layer's width); add the other one"));
            }
            if (layers && c.space().containsKey("hiddenLayers")) {
                v.add(new Violation(path + ".hiddenLayers", "search either hiddenLayers choices or layers + units, not both"));
            }
            for (Map.Entry<String, ParamRange> e : c.space().entrySet()) {
                String p = path + "." + e.getKey();
                if (!c.type().searchableNames().contains(e.getKey())) {
                    v.add(new Violation(p, "unknown parameter for " + c.type().wire() + "; known: "
                            + String.join(", ", new java.util.TreeSet<>(c.type().searchableNames()))));
                    continue;
                }
                String problem = rangeProblem(c.type(), e.getKey(), e.getValue());
                if (problem != null) {
                    v.add(new Violation(p, problem));
                }
            }
        }
        return v;
    }

    private static String rangeProblem(ModelType type, String name, ParamRange r) {
        if (r == null) {
            return "needs {low, high} or {choices: [...]}";
        }
        if (r.categorical()) {
            if (r.low() != null || r.high() != null || r.log() != null) {
                return "give either choices or low/high, not both";
            }
            if (r.choices().size() < 2) {
                return "needs at least two choices (a single value belongs in params)";
            }
            for (Object choice : r.choices()) {
                String problem = ModelParams.check(type, name, choice);
                if (problem != null) {
                    return "choice " + choice + ": " + problem;
                }
            }
            return null;
        }
        if (r.low() == null || r.high() == null) {
            return "needs low and high (or choices)";
        }
        if (!(r.high() > r.low())) {
            return "low must be below high, got [" + r.low() + ", " + r.high() + "]";
        }
        if (Boolean.TRUE.equals(r.log()) && r.low() <= 0) {
            return "a log scale needs low > 0, got " + r.low();
        }
        if (type.integerParameter(name) && (r.low() != Math.rint(r.low()) || r.high() != Math.rint(r.high()))) {
            return name + " takes whole numbers; use whole-number bounds";
        }
        for (double bound : new double[] {r.low(), r.high()}) {
            String problem = ModelParams.check(type, name, type.integerParameter(name) ? (Object) (long) bound : (Object) bound);
            if (problem != null) {
                return "bound " + bound + ": " + problem;
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
