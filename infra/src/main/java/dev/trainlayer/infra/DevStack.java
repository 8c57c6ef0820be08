package dev.trainlayer.infra;

import dev.trainlayer.api.ApiApplication;
import dev.trainlayer.store.EmbeddedS3Server;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.worker.Workers;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded dev stack, one JVM: the Temporal Java test server as a real gRPC server, S3Proxy with a
 * filesystem backend (a real S3 endpoint over HTTP), a worker and the HTTP API. The worker runs without
 * sticky execution, which the test server needs to hand a killed worker's workflows to another.
 *
 * <p>The test server keeps workflow state in memory: runs and registries do not survive a restart of
 * the stack (artifacts in the store do). Real servers are for that.
 */
public final class DevStack implements AutoCloseable {
    /** Dev-only credentials for the embedded S3 server; real deployments take theirs from the environment. */
    public static final String DEV_ACCESS_KEY = "trainlayer";
    public static final String DEV_SECRET_KEY = "trainlayer-dev-secret";

    public record Options(Path home, int temporalPort, int s3Port, int apiPort, int trainingSlots) {
        public static Options defaults(Path home) {
            return new Options(home, 7233, 9000, 8080, Math.max(1, Runtime.getRuntime().availableProcessors()));
        }

        /** Free ports everywhere: for tests and for a demo next to a running dev stack. */
        public static Options ephemeral(Path home, int trainingSlots) {
            return new Options(home, freePort(), freePort(), freePort(), trainingSlots);
        }
    }

    private final Options options;
    private final TestServer.PortBoundTestServer temporal;
    private final EmbeddedS3Server s3;
    private final WorkflowServiceStubs stubs;
    private final WorkerFactory workers;
    private final ApplicationContext api;

    private DevStack(Options options, TestServer.PortBoundTestServer temporal, EmbeddedS3Server s3, WorkflowServiceStubs stubs,
                     WorkerFactory workers, ApplicationContext api) {
        this.options = options;
        this.temporal = temporal;
        this.s3 = s3;
        this.stubs = stubs;
        this.workers = workers;
        this.api = api;
    }

    public static DevStack start(Options options) throws Exception {
        // true: the server's clock runs in real time; a dev stack must not skip through timers.
        TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(options.temporalPort(), true);
        EmbeddedS3Server s3 = null;
        WorkflowServiceStubs stubs = null;
        try {
            s3 = EmbeddedS3Server.start(options.home().resolve("s3"), options.s3Port(), DEV_ACCESS_KEY, DEV_SECRET_KEY);
            stubs = TemporalConnection.stubs("127.0.0.1:" + options.temporalPort());
            TemporalConnection.registerSearchAttributes(stubs, "default");
            WorkflowClient client = TemporalConnection.client(stubs, "default");
            ObjectStore store = ObjectStore.open(s3.config("trainlayer"));
            WorkerFactory workers = WorkerFactory.newInstance(client);
            Workers.register(workers, client, store, new Workers.Options(options.trainingSlots(), 0, false));
            workers.start();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("micronaut.server.port", options.apiPort());
            properties.put("trainlayer.temporal.target", "127.0.0.1:" + options.temporalPort());
            properties.put("trainlayer.store.endpoint", s3.endpoint());
            properties.put("trainlayer.store.access-key", DEV_ACCESS_KEY);
            properties.put("trainlayer.store.secret-key", DEV_SECRET_KEY);
            // Built by hand rather than with Micronaut.run: that registers its own shutdown hook, which
            // deadlocks against the launcher's hook that closes the whole stack in order.
            ApplicationContext api = ApplicationContext.builder().mainClass(ApiApplication.class).banner(false)
                    .properties(properties).start();
            api.getBean(EmbeddedServer.class).start();
            return new DevStack(options, temporal, s3, stubs, workers, api);
        } catch (Exception | Error e) {
            if (stubs != null) {
                stubs.shutdownNow();
            }
            if (s3 != null) {
                s3.close();
            }
            temporal.close();
            throw e;
        }
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.getBean(EmbeddedServer.class).getPort();
    }

    public String temporalTarget() {
        return "127.0.0.1:" + options.temporalPort();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() throws Exception {
        api.close();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        stubs.shutdownNow();
        s3.close();
        temporal.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
