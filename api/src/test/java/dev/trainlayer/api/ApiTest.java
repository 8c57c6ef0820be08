package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.store.ObjectStore;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP API against a real Temporal (the Java test server as a gRPC server) and a real S3 endpoint.
 * No worker runs here: runs are started and inspected, not executed (the end-to-end test in infra does that).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest implements TestPropertyProvider {
    static final String SPEC = """
            name: api-test
            task: classification
            target: y
            data: {uri: "s3://trainlayer/uploads/api/api-test/x.csv"}
            """;

    static final String ADMIN = "test-admin-secret-0123456789";

    TestServers servers;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ObjectStore store;

    @Override
    public Map<String, String> getProperties() {
        servers = new TestServers();
        return servers.properties("ci:api:admin:" + ADMIN, Map.of("trainlayer.api.max-upload-size", "64KB",
                "trainlayer.api.max-body-size", "256KB"));
    }

    @AfterAll
    void stop() throws Exception {
        servers.close();
    }

    /** The request with the test's admin key. */
    static <T> io.micronaut.http.MutableHttpRequest<T> auth(io.micronaut.http.MutableHttpRequest<T> request) {
        return request.bearerAuth(ADMIN);
    }

    HttpClientResponseException error(io.micronaut.http.MutableHttpRequest<?> request) {
        return assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(auth(request), String.class));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, String>> violations(HttpClientResponseException e) {
        Map<String, Object> body = e.getResponse().getBody(Map.class).orElseThrow();
        return (List<Map<String, String>>) body.get("violations");
    }

    @Test
    void uploadsAreContentAddressedAndUsableAsDataUri() {
        HttpResponse<Map> r = http.toBlocking().exchange(auth(HttpRequest.PUT("/api/v1/datasets/iris", "a,b\n1,2\n")
                .contentType("text/csv")), Map.class);
        assertEquals(HttpStatus.CREATED, r.getStatus());
        Map<String, Object> body = r.body();
        String sha = (String) body.get("sha256");
        assertEquals("s3://trainlayer/uploads/api/iris/" + sha + ".csv", body.get("uri"));
        assertEquals(8, ((Number) body.get("bytes")).intValue());
        assertTrue(store.exists("uploads/api/iris/" + sha + ".csv"));
    }

    @Test
    void emptyUploadsAndBadNamesAreRefusedNamingTheField() {
        HttpClientResponseException empty = error(HttpRequest.PUT("/api/v1/datasets/iris", "").contentType("text/csv"));
        assertEquals(HttpStatus.BAD_REQUEST, empty.getStatus());
        assertTrue(empty.getResponse().getBody(String.class).orElseThrow().contains("body"));
        HttpClientResponseException name = error(HttpRequest.PUT("/api/v1/datasets/Bad%20Name", "a\n1\n").contentType("text/csv"));
        assertEquals(HttpStatus.BAD_REQUEST, name.getStatus());
        assertTrue(name.getResponse().getBody(String.class).orElseThrow().contains("name:"));
    }

    @Test
    void invalidSpecsAreProblemsWithFieldPaths() {
        HttpClientResponseException e = error(HttpRequest.POST("/api/v1/runs", SPEC + "split: {test: 2}\nmetric: rmse\n")
                .contentType("application/yaml"));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        assertEquals(List.of("split.test", "metric"), violations(e).stream().map(v -> v.get("path")).toList());
        HttpClientResponseException enumValue = error(HttpRequest.POST("/api/v1/runs",
                "{\"name\": \"x\", \"task\": \"ranking\", \"target\": \"y\", \"data\": {\"uri\": \"s3://b/k\"}}")
                .contentType(MediaType.APPLICATION_JSON));
        assertEquals("task", violations(enumValue).get(0).get("path"));
    }

    @Test
    void startingIsIdempotentPerKeyAndRunsAreFindable() {
        HttpRequest<String> post = auth(HttpRequest.POST("/api/v1/runs", SPEC).contentType("application/yaml").header("Idempotency-Key", "abc"));
        HttpResponse<Map> first = http.toBlocking().exchange(post, Map.class);
        assertEquals(HttpStatus.ACCEPTED, first.getStatus());
        HttpResponse<Map> second = http.toBlocking().exchange(post, Map.class);
        assertEquals(HttpStatus.OK, second.getStatus());
        String runId = (String) first.body().get("runId");
        assertEquals(runId, second.body().get("runId"));
        assertEquals("retrain/api/api-test/" + runId, first.body().get("workflowId"));
        HttpClientResponseException reused = error(HttpRequest.POST("/api/v1/runs", SPEC + "seed: 9\n")
                .contentType("application/yaml").header("Idempotency-Key", "abc"));
        assertEquals(HttpStatus.CONFLICT, reused.getStatus(), "one key, one spec");
        assertTrue(store.exists("runs/" + runId + "/spec.json"));

        Map<String, Object> run = http.toBlocking().retrieve(auth(HttpRequest.GET("/api/v1/runs/" + runId)), Argument.mapOf(String.class, Object.class));
        assertEquals("RUNNING", run.get("status"));
        Map<String, Object> listed = http.toBlocking().retrieve(auth(HttpRequest.GET("/api/v1/runs?pipeline=api-test")), Argument.mapOf(String.class, Object.class));
        assertEquals(1, ((List<?>) listed.get("runs")).size());
    }

    @Test
    void unknownThingsAre404AndBadQueries400() {
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.GET("/api/v1/runs/nope")).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.GET("/api/v1/runs/nope/trials")).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.GET("/api/v1/models/nope")).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.POST("/api/v1/models/nope/rollback", "{}")).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.POST("/api/v1/runs/nope/approve", "{}")).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.GET("/api/v1/runs?limit=0")).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.POST("/api/v1/runs/nope/approve", "{\"aproved\": true}")).getStatus());
    }

    @Test
    void feedbackAndTriggersRefuseBadInputNamingTheField() {
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.POST("/api/v1/pipelines/no-runs/feedback", "x,y\n1,a\n")
                .contentType("text/csv")).getStatus(), "feedback follows a pipeline's runs");
        http.toBlocking().exchange(auth(HttpRequest.POST("/api/v1/runs", SPEC).contentType("application/yaml")
                .header("Idempotency-Key", "feedback")), Map.class);
        HttpClientResponseException noTarget = error(HttpRequest.POST("/api/v1/pipelines/api-test/feedback", "x,z\n1,a\n")
                .contentType("text/csv"));
        assertEquals(HttpStatus.BAD_REQUEST, noTarget.getStatus());
        assertTrue(noTarget.getResponse().getBody(String.class).orElseThrow().contains("no column 'y'"));
        Map<String, Object> posted = http.toBlocking().exchange(auth(HttpRequest.POST("/api/v1/pipelines/api-test/feedback",
                "x,y\n1,a\n2,\n").contentType("text/csv")), Argument.mapOf(String.class, Object.class)).body();
        assertEquals(1, posted.get("rows"));
        assertEquals(1, ((List<?>) posted.get("rejected")).size(), "the row without a label is refused alone");
        HttpResponse<Map> again = http.toBlocking().exchange(auth(HttpRequest.POST("/api/v1/pipelines/api-test/feedback",
                "x,y\n1,a\n2,\n").contentType("text/csv")), Map.class);
        assertEquals(HttpStatus.OK, again.getStatus());
        assertEquals(true, again.body().get("duplicate"));
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.POST("/api/v1/pipelines/api-test/feedback", "{\"labels\": 3}")).getStatus());
        HttpClientResponseException unknownId = error(HttpRequest.POST("/api/v1/pipelines/api-test/feedback",
                "{\"labels\": [{\"predictionId\": \"nope\", \"label\": \"a\"}]}"));
        assertTrue(unknownId.getResponse().getBody(String.class).orElseThrow().contains("no logged prediction 'nope'"));

        String spec = "\"spec\": " + com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(SPEC);
        for (String[] bad : new String[][] {
                {"{" + spec + ", \"minNewLabels\": 5, \"typo\": 1}", "typo:"},
                {"{" + spec + "}", "minNewLabels:"},
                {"{" + spec + ", \"minNewLabels\": 0}", "minNewLabels:"},
                {"{" + spec + ", \"maxDrift\": 0.2, \"cooldown\": \"soon\"}", "cooldown:"},
                {"{" + spec + ", \"maxDrift\": 0.2, \"checkEvery\": \"10ms\"}", "checkEvery:"},
                {"{" + spec + ", \"autoRollback\": {\"margin\": -1}}", "autoRollback.margin:"},
                {"{\"minNewLabels\": 5}", "spec:"}}) {
            HttpClientResponseException e = error(HttpRequest.PUT("/api/v1/pipelines/api-test/triggers", bad[0]));
            assertEquals(HttpStatus.BAD_REQUEST, e.getStatus(), bad[0]);
            assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains(bad[1]), bad[1] + " in "
                    + e.getResponse().getBody(String.class).orElseThrow());
        }
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.PUT("/api/v1/pipelines/other/triggers", "{" + spec + ", \"minNewLabels\": 5}"))
                .getStatus(), "the spec names another pipeline");
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.GET("/api/v1/pipelines/api-test/triggers")).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, error(HttpRequest.GET("/api/v1/models/api-test/monitoring")).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.GET("/api/v1/models/api-test/monitoring?window=forever")).getStatus());
    }

    @Test
    void dataUriMayOnlyNameTheProjectsOwnData() {
        for (String uri : new String[] {"s3://trainlayer/models/m/versions/1/model.json", "s3://trainlayer/uploads/other/x/y.csv",
                "s3://trainlayer/runs/r/spec.json", "s3://elsewhere/data.csv"}) {
            HttpClientResponseException e = error(HttpRequest.POST("/api/v1/runs", SPEC.replace("s3://trainlayer/uploads/api/api-test/x.csv", uri))
                    .contentType("application/yaml"));
            assertEquals(HttpStatus.BAD_REQUEST, e.getStatus(), uri);
            assertEquals(List.of("data.uri"), violations(e).stream().map(v -> v.get("path")).toList(), uri);
        }
    }

    @Test
    void limitsAnswer4xxNamingTheField() {
        String deep = SPEC + "features:\n  derived:\n    - {name: d, expression: \"" + "(".repeat(20_000) + "a" + ")".repeat(20_000) + "\"}\n";
        HttpClientResponseException e = error(HttpRequest.POST("/api/v1/runs", deep).contentType("application/yaml"));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertEquals(List.of("features.derived[0].expression"), violations(e).stream().map(v -> v.get("path")).toList());
        String nested = SPEC + "features:\n  derived:\n    - {name: d, expression: \"" + "(".repeat(900) + "a" + ")".repeat(900) + "\"}\n";
        assertEquals(HttpStatus.BAD_REQUEST, error(HttpRequest.POST("/api/v1/runs", nested).contentType("application/yaml")).getStatus());

        HttpClientResponseException hugeSpec = error(HttpRequest.POST("/api/v1/runs", SPEC + "#" + "x".repeat(300_000) + "\n")
                .contentType("application/yaml"));
        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, hugeSpec.getStatus());
        assertTrue(hugeSpec.getResponse().getBody(String.class).orElseThrow().contains("body: "));

        HttpClientResponseException big = error(HttpRequest.PUT("/api/v1/datasets/big", "a,b\n" + "1,2\n".repeat(20_000)).contentType("text/csv"));
        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, big.getStatus());
        assertTrue(big.getResponse().getBody(String.class).orElseThrow().contains("body: "));
        assertTrue(store.list("uploads/api/big/").isEmpty(), "nothing is stored from a refused upload");
    }

    @Test
    void openApiDocumentIsServed() {
        String doc = http.toBlocking().retrieve(auth(HttpRequest.GET("/openapi/trainlayer-v1.yml")));
        assertTrue(doc.contains("/api/v1/runs/{runId}") && doc.contains("/api/v1/models/{model}/rollback"), doc);
    }

}
