package dev.trainlayer.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.infra.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line for people at a terminal: {@code ./trainlayer submit|runs|run|watch|models|diff|rollback|approve}. It talks
 * to the HTTP API only ({@code TRAINLAYER_URL}, default http://127.0.0.1:8080) with the key in {@code TRAINLAYER_API_KEY}
 * (or, on the machine that runs {@code ./trainlayer dev}, the generated {@code .trainlayer/admin.key}). Exit codes: 0 done
 * (a watched run SUCCEEDED), 1 the API refused or the run did not succeed, 2 a usage error, 3 the API is unreachable.
 */
@Command(name = "trainlayer", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Cli.Version.class,
        description = "Talks to a trainlayer API (TRAINLAYER_URL, key from TRAINLAYER_API_KEY).",
        subcommands = {Cli.Submit.class, Cli.Runs.class, Cli.Run.class, Cli.Watch.class, Cli.Models.class, Cli.Rollback.class,
                Cli.Approve.class, Cli.Feedback.class, Cli.Monitor.class, Cli.Diff.class, Cli.Reproduce.class})
public final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The commands this class answers; the launcher hands them over. */
    public static final java.util.Set<String> COMMANDS = java.util.Set.of("submit", "runs", "run", "watch", "models", "rollback", "approve",
            "feedback", "monitor", "diff", "reproduce");

    /** The checkout's git sha, as {@code ./trainlayer} passes it ({@code trainlayer.codeVersion}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"trainlayer " + System.getProperty("trainlayer.codeVersion", "(version unknown: not started by ./trainlayer)")};
        }
    }

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;

    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;
    final Duration pollEvery;

    Cli(Map<String, String> env, PrintWriter out, PrintWriter err, Duration pollEvery) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.pollEvery = pollEvery;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), Duration.ofSeconds(1)));
    }

    /** Runs one command; what it prints goes to {@code out}, problems to {@code err}; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, Duration pollEvery) {
        Cli cli = new Cli(env, out, err, pollEvery);
        CommandLine line = new CommandLine(cli, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type.getEnclosingClass() == Cli.class) {
                    for (var c : type.getDeclaredConstructors()) {
                        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Cli.class) {
                            c.setAccessible(true);
                            return type.cast(c.newInstance(cli));
                        }
                    }
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        line.setOut(out).setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (e instanceof ConnectException || root instanceof ConnectException || e instanceof HttpTimeoutException) {
                err.println("error: cannot reach the trainlayer API at " + cli.url()
                        + " (is `./trainlayer dev` running? TRAINLAYER_URL names another API)");
                return UNREACHABLE;
            }
            if (e instanceof Refused r) {
                err.println("error: " + r.getMessage());
                return REFUSED;
            }
            if (e instanceof NoSuchFileException f) {
                err.println("error: no such file: " + f.getFile());
                return CommandLine.ExitCode.USAGE;
            }
            err.println("error: " + e);
            return REFUSED;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    String url() {
        String url = env.getOrDefault("TRAINLAYER_URL", "");
        return (url.isBlank() ? "http://127.0.0.1:8080" : url.trim()).replaceAll("/+$", "");
    }

    /**
     * TRAINLAYER_API_KEY, else the dev stack's generated key when the API is on this machine (never sent elsewhere),
     * else none (the API will say 401).
     */
    String key() throws IOException {
        String key = env.get("TRAINLAYER_API_KEY");
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        String host = java.net.URI.create(url()).getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"))) {
            return null;
        }
        String home = env.getOrDefault("TRAINLAYER_HOME", "");
        Path file = Path.of(home.isBlank() ? ".trainlayer" : home, "admin.key");
        return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    ApiClient api() throws IOException {
        return new ApiClient(url(), key());
    }

    /** A 4xx/5xx from the API, said as the API's problem body says it. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    static JsonNode expect(ApiClient.Response r, int... ok) {
        for (int code : ok) {
            if (r.status() == code) {
                return r.body();
            }
        }
        JsonNode b = r.body();
        StringBuilder m = new StringBuilder(String.valueOf(r.status()));
        if (b.hasNonNull("title")) {
            m.append(' ').append(b.path("title").asText());
        }
        if (b.hasNonNull("detail")) {
            m.append(": ").append(b.path("detail").asText());
        } else if (!b.isObject() && !b.isNull()) {
            m.append(": ").append(b.asText());
        }
        for (JsonNode v : b.path("violations")) {
            m.append("\n  ").append(v.path("field").asText()).append(": ").append(v.path("message").asText());
        }
        if (r.status() == 401) {
            m.append("\n(set TRAINLAYER_API_KEY to a key of this API)");
        }
        throw new Refused(m.toString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    void printJson(JsonNode node) throws IOException {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** One line on what the run's optimize step made: served or not, how much smaller, the metric's change. */
    static String optimization(JsonNode o) {
        if (o.path("artifacts").isNull() || o.path("artifacts").isMissingNode()) {
            return "optimization   none: " + o.path("reason").asText();
        }
        long before = o.path("originalBytes").asLong();
        long after = Math.max(1, o.path("optimizedBytes").asLong());
        String line = String.format(java.util.Locale.ROOT, "optimization   %s: %,d → %,d bytes (%.1f× smaller), %s %.4f → %.4f",
                o.path("passed").asBoolean() ? "served" : "NOT served", before, after, (double) before / after,
                o.path("metric").asText(), o.path("originalMetric").asDouble(), o.path("optimizedMetric").asDouble());
        return o.path("passed").asBoolean() ? line : line + " (" + o.path("reason").asText() + ")";
    }

    /** The run's own metric on the test rows, or the best trial's validation value while it trains. */
    static String best(JsonNode run) {
        String metric = run.path("metric").asText("");
        if (run.path("metrics").has(metric)) {
            return String.format(Locale.ROOT, "%s=%.4f (test)", metric, run.path("metrics").path(metric).asDouble());
        }
        Double bestValue = null;
        boolean higher = higherIsBetter(metric);
        for (JsonNode t : run.path("trials")) {
            if (t.hasNonNull("objective")) {
                double v = t.path("objective").asDouble();
                if (bestValue == null || (higher ? v > bestValue : v < bestValue)) {
                    bestValue = v;
                }
            }
        }
        return bestValue == null ? "-" : String.format(Locale.ROOT, "%s=%.4f (validation)", metric, bestValue);
    }

    static boolean higherIsBetter(String metric) {
        try {
            return dev.trainlayer.workflows.spec.Metric.parse(metric).higherIsBetter();
        } catch (RuntimeException e) {
            return true; // a metric this client does not know: shown, never ranked wrong on purpose
        }
    }

    static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                s.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Command(versionProvider = Cli.Version.class, name = "submit", mixinStandardHelpOptions = true, description = "Starts a run of a pipeline spec (YAML or JSON); --watch follows it to the end.")
    static final class Submit implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "SPEC", description = "the spec file") Path spec;
        @Option(names = "--watch", description = "follow the run until it ends") boolean watch;
        @Option(names = "--idempotency-key", description = "the same key twice starts one run") String idempotencyKey;

        Submit(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            // ./trainlayer runs from its checkout; a relative path means the directory the user typed it in.
            String cwd = cli.env.getOrDefault("TRAINLAYER_CWD", "");
            Path file = spec.isAbsolute() || cwd.isBlank() ? spec : Path.of(cwd).resolve(spec);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ApiClient api = cli.api();
            ApiClient.Response r = idempotencyKey == null ? api.postSpec(text) : api.postSpec(text, "Idempotency-Key", idempotencyKey);
            JsonNode started = expect(r, 202, 200);
            String runId = started.path("runId").asText();
            cli.out.println("started run " + runId + " (workflow " + started.path("workflowId").asText() + ")");
            cli.out.println("  dashboard  " + cli.url() + "/ui/runs/" + runId);
            cli.out.flush();
            return watch ? new Watch(cli).follow(api, runId) : OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "runs", mixinStandardHelpOptions = true, description = "Lists runs, newest first.")
    static final class Runs implements Callable<Integer> {
        final Cli cli;
        @Option(names = "--pipeline") String pipeline;
        @Option(names = "--status", description = "RUNNING, SUCCEEDED, REJECTED, FAILED, CANCELLED or LOST") String status;
        @Option(names = "--limit", defaultValue = "20") int limit;
        @Option(names = "--json", description = "the API's answer as it is") boolean json;

        Runs(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("/api/v1/runs?limit=" + limit);
            if (pipeline != null) {
                q.append("&pipeline=").append(enc(pipeline));
            }
            if (status != null) {
                q.append("&status=").append(enc(status));
            }
            JsonNode body = expect(cli.api().get(q.toString()), 200);
            if (json) {
                cli.printJson(body);
                return OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"RUN", "PIPELINE", "STATUS", "PHASE", "CREATED", "MODEL", "BEST"});
            for (JsonNode run : body.path("runs")) {
                rows.add(new String[] {run.path("runId").asText(), run.path("pipeline").asText(), run.path("status").asText(),
                        run.path("phase").asText("-"), run.path("createdAt").asText("-").replaceFirst("\\.\\d+Z$", "Z"),
                        run.hasNonNull("modelVersion") ? "v" + run.path("modelVersion").asInt() : "-", best(run)});
            }
            cli.out.print(rows.size() == 1 ? "no runs\n" : table(rows));
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "run", mixinStandardHelpOptions = true, description = "Shows one run: status, trials, metrics, gates, failure.")
    static final class Run implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "RUN_ID") String runId;
        @Option(names = "--json", description = "the API's answer as it is") boolean json;

        Run(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            JsonNode run = expect(cli.api().get("/api/v1/runs/" + enc(runId)), 200);
            if (json) {
                cli.printJson(run);
                return OK;
            }
            PrintWriter out = cli.out;
            out.println("run " + run.path("runId").asText() + "  " + run.path("status").asText() + "  phase " + run.path("phase").asText("-"));
            out.println("  pipeline  " + run.path("pipeline").asText() + "   model " + run.path("model").asText()
                    + "   created " + run.path("createdAt").asText("-"));
            if (run.hasNonNull("datasetSha256")) {
                out.println("  dataset   sha256 " + run.path("datasetSha256").asText() + " (" + run.path("rows").asLong() + " rows)");
            }
            if (run.path("trials").size() > 0) {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"TRIAL", "TYPE", "STATUS", run.path("metric").asText("objective").toUpperCase(Locale.ROOT),
                        "EPOCHS", "PARAMS"});
                for (JsonNode t : run.path("trials")) {
                    rows.add(new String[] {t.path("trialId").asText() + (t.path("trialId").asText().equals(run.path("bestTrial").asText()) ? " *" : ""),
                            t.path("type").asText(), t.path("status").asText(),
                            t.hasNonNull("objective") ? String.format(Locale.ROOT, "%.4f", t.path("objective").asDouble()) : "-",
                            String.valueOf(t.path("epochs").asInt()), t.path("params").toString()});
                }
                out.print(table(rows).indent(2));
            }
            if (run.path("metrics").size() > 0) {
                out.println("  test metrics  " + run.path("metrics"));
            }
            if (run.path("championMetrics").size() > 0) {
                out.println("  champion v" + run.path("championVersion").asText() + " on the same rows  " + run.path("championMetrics"));
            }
            for (JsonNode g : run.path("gates")) {
                out.println("  gate " + g.path("gate").asText() + ": " + (g.path("passed").asBoolean() ? "PASS" : "FAIL") + " (" + g.path("detail").asText() + ")");
            }
            for (JsonNode r : run.path("reasons")) {
                out.println("  reason: " + r.asText());
            }
            for (JsonNode w : run.path("warnings")) {
                out.println("  warning: " + w.asText());
            }
            if (run.hasNonNull("modelVersion")) {
                out.println("  model version  v" + run.path("modelVersion").asInt() + (run.path("promoted").asBoolean() ? " (champion)" : ""));
            }
            if (run.has("reproduction")) {
                out.print(Reproduce.render(run.path("model").asText(), run.path("reproduction")).indent(2));
            }
            if (run.has("optimization")) {
                out.println("  " + optimization(run.path("optimization")));
            }
            if (run.has("failure")) {
                out.println("  failure  " + run.path("failure").path("type").asText() + ": " + run.path("failure").path("message").asText());
                if (run.path("failure").hasNonNull("action")) {
                    out.println("  to do    " + run.path("failure").path("action").asText());
                }
            }
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "watch", mixinStandardHelpOptions = true, description = "Follows a run until it ends: phase, trials done/total, best metric, elapsed, ETA.")
    static final class Watch implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "RUN_ID") String runId;

        Watch(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            return follow(cli.api(), runId);
        }

        /** Prints a line whenever the run's phase, trials or best value change; 0 when it SUCCEEDED, 1 otherwise. */
        int follow(ApiClient api, String id) throws Exception {
            long started = System.nanoTime();
            String last = "";
            while (true) {
                JsonNode run = expect(api.get("/api/v1/runs/" + enc(id)), 200);
                String line = progress(run, (System.nanoTime() - started) / 1e9);
                String fingerprint = line.replaceFirst("^\\[[^]]*] ", "").replaceFirst(", ETA .*$", "");
                if (!fingerprint.equals(last)) {
                    last = fingerprint;
                    cli.out.println(line);
                    cli.out.flush();
                }
                String status = run.path("status").asText();
                if (!"RUNNING".equals(status)) {
                    cli.out.println("run " + id + " " + status + (run.has("failure")
                            ? ": " + run.path("failure").path("type").asText() + ": " + run.path("failure").path("message").asText()
                            : run.hasNonNull("modelVersion") ? ", model " + run.path("model").asText() + " v" + run.path("modelVersion").asInt()
                                    + (run.path("promoted").asBoolean() ? " (champion)" : "") : ""));
                    for (JsonNode r : run.path("reasons")) {
                        cli.out.println("  reason: " + r.asText());
                    }
                    return "SUCCEEDED".equals(status) ? OK : REFUSED;
                }
                Thread.sleep(cli.pollEvery.toMillis());
            }
        }

        /**
         * One progress line. Trials done/total counts the trials the run has started; a search adds trials as it goes,
         * so its total grows. The ETA assumes the trials still open take as long as the finished ones did.
         */
        static String progress(JsonNode run, double elapsed) {
            int total = run.path("trials").size();
            int done = 0;
            for (JsonNode t : run.path("trials")) {
                String s = t.path("status").asText();
                if (!"RUNNING".equals(s) && !"PENDING".equals(s)) {
                    done++;
                }
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%5.1fs] %s %s, trials %d/%d, best %s", elapsed,
                    run.path("status").asText(), run.path("phase").asText("-"), done, total, best(run)));
            if (done > 0 && done < total && "RUNNING".equals(run.path("status").asText())) {
                line.append(String.format(Locale.ROOT, ", ETA ~%.0fs", elapsed / done * (total - done)));
            }
            return line.toString();
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "models", mixinStandardHelpOptions = true, description = "Shows a model: champion, versions, audit trail.")
    static final class Models implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "the API's answer as it is") boolean json;

        Models(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            JsonNode model = expect(cli.api().get("/api/v1/models/" + enc(name)), 200);
            if (json) {
                cli.printJson(model);
                return OK;
            }
            JsonNode champion = model.path("champion");
            cli.out.println("model " + model.path("model").asText() + "   champion "
                    + (champion.hasNonNull("version") ? "v" + champion.path("version").asInt() + " " + champion.path("metrics") : "none"));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"VERSION", "TYPE", "RUN", "REGISTERED", "METRICS"});
            for (JsonNode v : model.path("versions")) {
                rows.add(new String[] {"v" + v.path("version").asInt() + (v.path("version").asInt() == champion.path("version").asInt(-1) ? " *" : ""),
                        v.path("type").asText(), v.path("runId").asText(),
                        java.time.Instant.ofEpochMilli(v.path("registeredAtMillis").asLong()).toString(), v.path("metrics").toString()});
            }
            cli.out.print(table(rows).indent(2));
            cli.out.println("  audit");
            for (JsonNode a : model.path("audit")) {
                cli.out.println("    " + java.time.Instant.ofEpochMilli(a.path("atMillis").asLong()) + "  " + a.path("action").asText()
                        + " v" + a.path("version").asText() + "  by " + a.path("actor").asText()
                        + (a.hasNonNull("reason") ? "  (" + a.path("reason").asText() + ")" : ""));
            }
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "diff", mixinStandardHelpOptions = true,
            description = "What differs between two versions of a model: data, spec fields, parameters, seeds, metrics, environment, code.")
    static final class Diff implements Callable<Integer> {
        final Cli cli;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "FROM", description = "a version number or champion") String from;
        @Parameters(index = "2", paramLabel = "TO", description = "a version number or champion", defaultValue = "champion") String to;
        @Option(names = "--json", description = "the API's answer as it is") boolean json;

        Diff(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            JsonNode d = expect(cli.api().get("/api/v1/models/" + enc(name) + "/diff?from=" + enc(from) + "&to=" + enc(to)), 200);
            if (json) {
                cli.printJson(d);
                return OK;
            }
            cli.out.print(render(d));
            return OK;
        }

        /** The diff for a terminal: one line per section that is the same, the changed fields under the others. */
        static String render(JsonNode d) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%s v%d (%s, run %s) -> v%d (%s, run %s)%n", d.path("model").asText(),
                    d.path("from").path("version").asInt(), d.path("from").path("type").asText(), d.path("from").path("runId").asText(),
                    d.path("to").path("version").asInt(), d.path("to").path("type").asText(), d.path("to").path("runId").asText()));
            JsonNode data = d.path("data");
            if (data.path("same").asBoolean()) {
                out.append(String.format(Locale.ROOT, "data         same: %s (sha256 %.12s, %s rows)%n", data.path("to").path("uri").asText(),
                        data.path("to").path("sha256").asText(), data.path("to").path("rows").asText("?")));
            } else {
                out.append("data         differs\n");
                for (String side : List.of("from", "to")) {
                    JsonNode s = data.path(side);
                    out.append(String.format(Locale.ROOT, "  %-4s %s (sha256 %.12s, %s rows%s)%n", side, s.path("uri").asText(),
                            s.path("sha256").asText(), s.path("rows").asText("?"),
                            s.has("feedbackRows") ? ", " + s.path("feedbackRows").asText() + " from feedback" : ""));
                }
            }
            changes(out, "spec", d.path("spec").path("changes"), d.path("spec").path("note").asText(null));
            changes(out, "params", d.path("params").path("changes"), null);
            JsonNode seeds = d.path("seeds");
            out.append(seeds.path("from").equals(seeds.path("to")) ? "seeds        same: " + seeds.path("to") + "\n"
                    : "seeds        " + seeds.path("from") + " -> " + seeds.path("to") + "\n");
            out.append("metrics      (test rows; delta = to - from)\n");
            for (JsonNode m : d.path("metrics")) {
                out.append(String.format(Locale.ROOT, "  %-22s %10s -> %-10s %+.4f  %s%n",
                        m.path("metric").asText() + (m.path("primary").asBoolean() ? " (primary)" : ""), number(m.path("from")),
                        number(m.path("to")), m.path("delta").asDouble(Double.NaN),
                        switch (m.path("better").asText("")) {
                            case "to" -> "better";
                            case "from" -> "worse";
                            case "same" -> "same";
                            default -> "";
                        }));
            }
            changes(out, "environment", d.path("environment").path("changes"), null);
            JsonNode code = d.path("code");
            out.append(code.path("same").asBoolean() ? "code         same: " + code.path("to").asText() + "\n"
                    : "code         " + code.path("from").asText() + " -> " + code.path("to").asText() + "\n");
            return out.toString();
        }

        /** A section's changed fields; the API leaves an empty list out, and a spec that could not be compared has a note. */
        private static void changes(StringBuilder out, String section, JsonNode changes, String note) {
            if (note != null) {
                out.append(String.format(Locale.ROOT, "%-12s %s%n", section, note));
                return;
            }
            if (changes == null || changes.isNull() || changes.isMissingNode() || changes.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%-12s same%n", section));
                return;
            }
            out.append(String.format(Locale.ROOT, "%-12s %d change%s%n", section, changes.size(), changes.size() == 1 ? "" : "s"));
            for (JsonNode c : changes) {
                out.append(String.format(Locale.ROOT, "  %-32s %s -> %s%n", c.path("field").asText(), value(c.path("from")),
                        value(c.path("to"))));
            }
        }

        /** A changed field's value; the API leaves out the side that lacks the field. */
        private static String value(JsonNode v) {
            return v.isMissingNode() || v.isNull() ? "(none)" : v.isTextual() ? v.asText() : v.toString();
        }

        private static String number(JsonNode n) {
            return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "-";
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "rollback", mixinStandardHelpOptions = true, description = "Makes an earlier version the champion (by default the previous champion).")
    static final class Rollback implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--to", paramLabel = "VERSION", description = "the version to make champion") Integer to;
        @Option(names = "--reason") String reason;

        Rollback(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            var body = JSON.createObjectNode();
            if (to != null) {
                body.put("toVersion", to);
            }
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode state = expect(cli.api().postJson("/api/v1/models/" + enc(name) + "/rollback", body.toString()), 200);
            cli.out.println("model " + name + ": champion is now v" + state.path("champion").asInt());
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "reproduce", mixinStandardHelpOptions = true,
            description = "Rebuilds a model version from its provenance (spec, dataset snapshot, seeds) and says whether the result is "
                    + "identical; exit 0 when it is, 1 when not.")
    static final class Reproduce implements Callable<Integer> {
        final Cli cli;
        @Parameters(index = "0", paramLabel = "NAME", description = "the model") String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "the version to reproduce") int version;
        @Option(names = "--no-wait", description = "start it and return") boolean noWait;

        Reproduce(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            ApiClient api = cli.api();
            JsonNode started = expect(api.postJson("/api/v1/models/" + enc(name) + "/versions/" + version + "/reproduce", "{}"), 202, 200);
            String runId = started.path("runId").asText();
            cli.out.println("reproducing " + name + " v" + version + " in run " + runId);
            cli.out.flush();
            if (noWait) {
                return OK;
            }
            if (new Watch(cli).follow(api, runId) != OK) {
                return REFUSED;
            }
            JsonNode reproduction = expect(api.get("/api/v1/runs/" + enc(runId)), 200).path("reproduction");
            cli.out.print(render(name, reproduction));
            return reproduction.path("identical").asBoolean() ? OK : REFUSED;
        }

        /** The verdict, then each difference as field: version → reproduction. */
        static String render(String model, JsonNode r) {
            StringBuilder s = new StringBuilder(model + " v" + r.path("ofVersion").asInt() + " reproduced: "
                    + (r.path("identical").asBoolean() ? "IDENTICAL (same model files, same test metrics)" : "NOT IDENTICAL") + "\n");
            if (r.hasNonNull("modelSha256")) {
                s.append("  model sha256  ").append(r.path("modelSha256").asText()).append('\n');
            }
            if (r.hasNonNull("note")) {
                s.append("  note  ").append(r.path("note").asText()).append('\n');
            }
            for (JsonNode d : r.path("differences")) {
                s.append("  ").append(d.path("field").asText()).append(": ").append(shown(d.path("version"))).append(" -> ")
                        .append(shown(d.path("reproduced"))).append('\n');
            }
            return s.toString();
        }

        private static String shown(JsonNode v) {
            return v.isNull() || v.isMissingNode() ? "(none)" : v.isTextual() ? v.asText() : v.toString();
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "approve", mixinStandardHelpOptions = true, description = "Approves (or with --reject, rejects) a run waiting for approval.")
    static final class Approve implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "RUN_ID") String runId;
        @Option(names = "--reject", description = "reject instead of approve") boolean reject;
        @Option(names = "--comment") String comment;

        Approve(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            var body = JSON.createObjectNode().put("approved", !reject);
            if (comment != null) {
                body.put("comment", comment);
            }
            expect(cli.api().postJson("/api/v1/runs/" + enc(runId) + "/approve", body.toString()), 200, 202);
            cli.out.println("run " + runId + ": " + (reject ? "rejected" : "approved"));
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "feedback", mixinStandardHelpOptions = true,
            description = "Posts labelled rows (a CSV with the training columns and the target) or late labels (JSON "
                    + "{\"labels\": [{predictionId, label}]}) to a pipeline's feedback.")
    static final class Feedback implements Callable<Integer> {
        final Cli cli;
        @Parameters(index = "0", paramLabel = "PIPELINE") String pipeline;
        @Parameters(index = "1", paramLabel = "FILE", description = "a .csv of rows, or a .json of late labels") Path file;

        Feedback(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
            ApiClient.Response r = cli.api().send("POST", "/api/v1/pipelines/" + enc(pipeline) + "/feedback",
                    json ? "application/json" : "text/csv", java.net.http.HttpRequest.BodyPublishers.ofFile(file));
            JsonNode body = expect(r, 200, 201);
            cli.out.println("pipeline " + pipeline + ": " + body.path("rows").asInt() + " feedback rows "
                    + (body.path("duplicate").asBoolean() ? "were already there (" : "stored (") + body.path("part").asText() + ")");
            for (JsonNode rejected : body.path("rejected")) {
                cli.out.println("  refused: " + rejected.path("error").asText());
            }
            for (JsonNode warning : body.path("warnings")) {
                cli.out.println("  warning: " + warning.asText());
            }
            return OK;
        }
    }

    @Command(versionProvider = Cli.Version.class, name = "monitor", mixinStandardHelpOptions = true,
            description = "Shows how a model's champion does in production: its live metric on labelled feedback and the "
                    + "columns that drifted from its training data.")
    static final class Monitor implements Callable<Integer> {
        final Cli cli;
        @Parameters(paramLabel = "MODEL") String model;
        @Option(names = "--window", description = "how far back, e.g. 24h or 7d (default 7d)") String window;
        @Option(names = "--json", description = "the API's answer as JSON") boolean json;

        Monitor(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            JsonNode m = expect(cli.api().get("/api/v1/models/" + enc(model) + "/monitoring"
                    + (window == null ? "" : "?window=" + enc(window))), 200);
            if (json) {
                cli.out.println(m.toPrettyString());
                return OK;
            }
            JsonNode live = m.path("live");
            cli.out.println("model " + model + " v" + m.path("champion").asInt() + ", " + m.path("from").asText() + " to " + m.path("to").asText());
            cli.out.println("  live " + live.path("metric").asText() + "  " + (live.hasNonNull("value")
                    ? String.format(java.util.Locale.ROOT, "%.4f over %d labels (recorded %.4f)", live.path("value").asDouble(),
                    live.path("labels").asLong(), live.path("recorded").asDouble()) : "no labels yet"));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"COLUMN", "FROM", "PSI", "TEST", "P-VALUE", ""});
            for (String source : List.of("predictions", "feedback")) {
                for (JsonNode c : m.path(source).path("columns")) {
                    if (c.path("drifted").asBoolean()) {
                        boolean ks = c.has("ksPValue");
                        rows.add(new String[] {c.path("column").asText(), source, String.format(java.util.Locale.ROOT, "%.3f", c.path("psi").asDouble()),
                                ks ? "KS" : "chi-square", String.format(java.util.Locale.ROOT, "%.3g", c.path(ks ? "ksPValue" : "chiSquarePValue").asDouble()),
                                "drift"});
                    }
                }
            }
            cli.out.println("  predictions " + m.path("predictions").path("rows").asLong() + ", feedback rows "
                    + m.path("feedback").path("rows").asLong() + ", drifted columns " + (rows.size() - 1));
            if (rows.size() > 1) {
                cli.out.print(table(rows).indent(2));
            }
            for (JsonNode note : m.path("notes")) {
                cli.out.println("  note: " + note.asText());
            }
            return OK;
        }
    }
}
