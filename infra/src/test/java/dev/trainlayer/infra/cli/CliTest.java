package dev.trainlayer.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.infra.ApiClient;
import dev.trainlayer.infra.DevStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a running stack: submit --watch, runs, run, models, diff, reproduce, approve, rollback, and what it says when refused. */
class CliTest {
    @TempDir
    static Path home;
    static DevStack stack;
    static String uri;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        ApiClient.Response upload = stack.apiClient().uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
        assertEquals(201, upload.status(), upload.body()::toString);
        uri = upload.body().path("uri").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static Result cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, env, new PrintWriter(out), new PrintWriter(err), Duration.ofMillis(200));
        System.out.println("$ trainlayer " + String.join(" ", args) + "   (exit " + code + ")\n" + out + err);
        return new Result(code, out.toString(), err.toString());
    }

    static Result cli(String... args) {
        return cli(Map.of("TRAINLAYER_URL", stack.apiUrl(), "TRAINLAYER_API_KEY", stack.options().access().token()), args);
    }

    static Path spec(String name, String extra) throws Exception {
        Path file = home.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 5
                models:
                  - name: shallow
                    type: xgboost
                    params: {numRounds: 30, maxDepth: 3}
                  - name: deep
                    type: xgboost
                    params: {numRounds: 30, maxDepth: 5}
                gates: {min: {accuracy: 0.5}, maxDropVsChampion: 1.0}
                %s
                """.formatted(name, uri, extra));
        return file;
    }

    static String runId(String out) {
        Matcher m = Pattern.compile("started run (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void submitWatchesARunToItsEndAndTheOtherCommandsShowIt() throws Exception {
        Result submit = cli("submit", spec("breast-cancer", "").toString(), "--watch");
        assertEquals(0, submit.code(), submit.out() + submit.err());
        String runId = runId(submit.out());
        assertTrue(submit.out().contains("trials 2/2"), "progress shows trials done/total: " + submit.out());
        assertTrue(submit.out().contains("run " + runId + " SUCCEEDED, model breast-cancer v1 (champion)"), submit.out());

        Result runs = cli("runs", "--pipeline", "breast-cancer");
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().startsWith("RUN") && runs.out().contains(runId) && runs.out().contains("SUCCEEDED"), runs.out());

        Result run = cli("run", runId);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("shallow") && run.out().contains("deep") && run.out().contains("gate ")
                && run.out().contains("model version  v1 (champion)"), run.out());
        JsonNode json = Cli.JSON.readTree(cli("run", runId, "--json").out());
        assertEquals(runId, json.path("runId").asText());

        // A second version, then back to the first.
        Result second = cli("submit", spec("breast-cancer", "").toString(), "--watch");
        assertEquals(0, second.code(), second.out() + second.err());
        Result model = cli("models", "breast-cancer");
        assertEquals(0, model.code(), model.err());
        assertTrue(model.out().contains("v1") && model.out().contains("v2") && model.out().contains("PROMOTE"), model.out());
        Result diff = cli("diff", "breast-cancer", "1", "2");
        assertEquals(0, diff.code(), diff.out() + diff.err());
        assertTrue(diff.out().startsWith("breast-cancer v1 (") && diff.out().contains("data         same: ")
                && diff.out().contains("spec         same") && diff.out().contains("code         same: ")
                && diff.out().contains(" (primary)"), diff.out());
        assertEquals("  type                             (none) -> (none)\n",
                Cli.Diff.render(Cli.JSON.readTree("{\"params\": {\"changes\": [{\"field\": \"type\"}]}}")).lines()
                        .filter(l -> l.contains("type")).findFirst().orElseThrow() + "\n", "a side without the field");
        assertTrue(Cli.Diff.render(Cli.JSON.readTree("{\"params\": {\"changes\": [{\"field\": \"type\", \"from\": \"mlp\", "
                + "\"to\": \"xgboost\"}]}}")).contains("mlp -> xgboost"), "text without quotes");
        assertEquals(2, Cli.JSON.readTree(cli("diff", "breast-cancer", "1", "--json").out()).path("to").path("version").asInt(),
                "TO defaults to the champion");
        Result reproduce = cli("reproduce", "breast-cancer", "2");
        assertEquals(0, reproduce.code(), reproduce.out() + reproduce.err());
        assertTrue(reproduce.out().contains("breast-cancer v2 reproduced: IDENTICAL") && reproduce.out().contains("model sha256  "),
                reproduce.out());
        assertTrue(Cli.Reproduce.render("m", Cli.JSON.readTree("{\"ofVersion\": 3, \"identical\": false, \"differences\": "
                + "[{\"field\": \"environment.xgboost4j\", \"version\": \"3.1.1\", \"reproduced\": \"3.2.0\"}]}"))
                .contains("m v3 reproduced: NOT IDENTICAL\n  environment.xgboost4j: 3.1.1 -> 3.2.0\n"));
        Result rollback = cli("rollback", "breast-cancer", "--to", "1", "--reason", "cli test");
        assertEquals(0, rollback.code(), rollback.out() + rollback.err());
        assertTrue(rollback.out().contains("champion is now v1"), rollback.out());
        assertTrue(cli("models", "breast-cancer").out().contains("ROLLBACK"), "the audit shows the rollback");

        // Feedback from a file, and how the champion does on it.
        List<String> lines = Files.readAllLines(Path.of("..", "examples", "data", "breast_cancer.csv"));
        Path rows = home.resolve("feedback.csv");
        Files.write(rows, lines.subList(0, 61));
        Result feedback = cli("feedback", "breast-cancer", rows.toString());
        assertEquals(0, feedback.code(), feedback.out() + feedback.err());
        assertTrue(feedback.out().contains("60 feedback rows stored"), feedback.out());
        assertTrue(cli("feedback", "breast-cancer", rows.toString()).out().contains("were already there"));
        Result monitor = cli("monitor", "breast-cancer");
        assertEquals(0, monitor.code(), monitor.out() + monitor.err());
        assertTrue(monitor.out().contains("model breast-cancer v1") && monitor.out().contains("feedback rows 60"), monitor.out());
    }

    @Test
    void approveReleasesARunWaitingForApproval() throws Exception {
        spec("bc-approve", "promotion: {mode: approval}");
        // A relative path is meant from where the user typed it (./trainlayer passes it as TRAINLAYER_CWD).
        Result submit = cli(Map.of("TRAINLAYER_URL", stack.apiUrl(), "TRAINLAYER_API_KEY", stack.options().access().token(),
                "TRAINLAYER_CWD", home.toString()), "submit", "bc-approve.yaml");
        assertEquals(0, submit.code(), submit.out() + submit.err());
        String runId = runId(submit.out());
        ApiClient api = stack.apiClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!"AWAITING_APPROVAL".equals(api.get("/api/v1/runs/" + runId).body().path("phase").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Result approve = cli("approve", runId, "--comment", "looks good");
        assertEquals(0, approve.code(), approve.out() + approve.err());
        Result watch = cli("watch", runId);
        assertEquals(0, watch.code(), watch.out() + watch.err());
        assertTrue(watch.out().contains("SUCCEEDED, model bc-approve v1 (champion)"), watch.out());
    }

    @Test
    void theDevStacksKeyIsOnlyEverSentToThisMachine() throws Exception {
        Path keys = Files.createDirectories(home.resolve("keys"));
        Files.writeString(keys.resolve("admin.key"), "tl_local-secret\n");
        PrintWriter sink = new PrintWriter(new StringWriter());
        Cli local = new Cli(Map.of("TRAINLAYER_URL", "http://127.0.0.1:8080", "TRAINLAYER_HOME", keys.toString()), sink, sink, Duration.ZERO);
        assertEquals("tl_local-secret", local.key());
        Cli remote = new Cli(Map.of("TRAINLAYER_URL", "https://trainlayer.example.com", "TRAINLAYER_HOME", keys.toString()), sink, sink, Duration.ZERO);
        assertEquals(null, remote.key(), "a remote API gets TRAINLAYER_API_KEY or nothing");
        Cli explicit = new Cli(Map.of("TRAINLAYER_URL", "https://trainlayer.example.com", "TRAINLAYER_API_KEY", "tl_mine"), sink, sink, Duration.ZERO);
        assertEquals("tl_mine", explicit.key());
    }

    @Test
    void refusalsAreSaidAsTheApiSaysThem() throws Exception {
        Result unknown = cli("run", "no-such-run");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("error: 404"), unknown.err());

        Result noKey = cli(Map.of("TRAINLAYER_URL", stack.apiUrl(), "TRAINLAYER_HOME", home.resolve("nothing").toString()), "runs");
        assertEquals(1, noKey.code());
        assertTrue(noKey.err().contains("401") && noKey.err().contains("TRAINLAYER_API_KEY"), noKey.err());

        Path bad = home.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\ntask: classification\ntarget: diagnosis\ndata: {uri: " + uri + "}\nmodels: [{type: nosuchmodel}]\n");
        Result invalid = cli("submit", bad.toString());
        assertEquals(1, invalid.code());
        assertTrue(invalid.err().startsWith("error: 400") && invalid.err().contains("models[0].type"), invalid.err());

        Result missing = cli("submit", home.resolve("missing.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());

        int closed = DevStack.freePort();
        Result down = cli(Map.of("TRAINLAYER_URL", "http://127.0.0.1:" + closed, "TRAINLAYER_API_KEY", "x"), "runs");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach the trainlayer API at http://127.0.0.1:" + closed), down.err());

        Result version = cli("runs", "--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("trainlayer "), version.out());

        Result usage = cli("watch");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("RUN_ID"), usage.err());
    }
}
