package dev.trainlayer.infra;

import dev.trainlayer.api.ApiApplication;
import dev.trainlayer.api.DataAccessGuard;
import dev.trainlayer.workflows.artifact.DataAccess;
import dev.trainlayer.store.EmbeddedS3Server;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.worker.Workers;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dev stack, one JVM: by default the Temporal Java test server as a real gRPC server and S3Proxy with a
 * filesystem backend (a real S3 endpoint over HTTP), or with {@link Options#real()} the Temporal CLI dev
 * server and MinIO as child processes ({@link RealServers}); plus a worker and the HTTP API. The worker runs without
 * sticky execution, which the test server needs to hand a killed worker's workflows to another.
 *
 * <p>The test server keeps workflow state in memory: runs and registries do not survive a restart of
 * the stack (artifacts in the store do). Real servers are for that.
 */
public final class DevStack implements AutoCloseable {
    /** Dev-only credentials for the embedded S3 server; real deployments take theirs from the environment. */
    public static final String DEV_ACCESS_KEY = dev.trainlayer.store.StoreConfig.DEV_ACCESS_KEY;
    public static final String DEV_SECRET_KEY = dev.trainlayer.store.StoreConfig.DEV_SECRET_KEY;
    /** Where every listener of the stack binds unless the API is opened on purpose. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * @param real run the real servers ({@link RealServers}: Temporal CLI dev server and MinIO, built from
     *             source the first time) instead of the embedded ones
     */
    public record Options(Path home, int temporalPort, int s3Port, int apiPort, int trainingSlots, boolean real,
                          RealServers.Ports realPorts, ApiAccess access, Map<String, Object> extraProperties, String apiHost) {
        public Options {
            access = access == null ? ApiAccess.generated() : access;
            extraProperties = extraProperties == null ? Map.of() : Map.copyOf(extraProperties);
            // Loopback unless the user opens the API on purpose (--host / TRAINLAYER_BIND); the servers never.
            apiHost = apiHost == null || apiHost.isBlank() ? LOOPBACK : apiHost;
        }

        public static Options defaults(Path home) {
            return new Options(home, 7233, 9000, 8080, Math.max(1, Runtime.getRuntime().availableProcessors()), false, null, null, null, null);
        }

        /** Free ports everywhere: for tests and for a demo next to a running dev stack. */
        public static Options ephemeral(Path home, int trainingSlots) {
            return new Options(home, freePort(), freePort(), freePort(), trainingSlots, false, null, null, null, null);
        }

        /** The real servers on the given ports, the API on {@code apiPort}. */
        public static Options real(Path home, RealServers.Ports ports, int apiPort, int trainingSlots) {
            return new Options(home, ports.temporal(), ports.s3(), apiPort, trainingSlots, true, ports, null, null, null);
        }

        /** The real servers on free ports (retried with fresh ones if a server cannot bind), the API on {@code apiPort}. */
        public static Options realOnFreePorts(Path home, int apiPort, int trainingSlots) {
            return new Options(home, 0, 0, apiPort, trainingSlots, true, null, null, null, null);
        }

        /** The same stack with these API keys, the stack's own client using {@code access.token()}. */
        public Options withAccess(ApiAccess keys) {
            return new Options(home, temporalPort, s3Port, apiPort, trainingSlots, real, realPorts, keys, extraProperties, apiHost);
        }

        /** The same stack with more API and worker configuration (e.g. {@code trainlayer.projects.*}). */
        public Options withProperties(Map<String, Object> properties) {
            return new Options(home, temporalPort, s3Port, apiPort, trainingSlots, real, realPorts, access, properties, apiHost);
        }

        /** The same stack with its API (and only its API) listening on {@code host}, e.g. 0.0.0.0 for every interface. */
        public Options withApiHost(String host) {
            return new Options(home, temporalPort, s3Port, apiPort, trainingSlots, real, realPorts, access, extraProperties, host);
        }
    }

    /**
     * The API keys the stack's API accepts ({@code trainlayer.api.keys}) and the one key the stack's own client
     * ({@link #apiClient()}) sends: by default one admin key of project {@code default}, made up for this stack.
     */
    public record ApiAccess(String keys, String token) {
        public static ApiAccess generated() {
            String secret = newSecret();
            return new ApiAccess("admin:" + dev.trainlayer.workflows.artifact.Projects.DEFAULT + ":admin:" + secret, secret);
        }

        /** 32 random bytes, URL-safe: what {@code ./trainlayer dev} puts in a new key. */
        public static String newSecret() {
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            return "tl_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    private final Options options;
    private final LoopbackTemporal temporal;
    private final EmbeddedS3Server s3;
    private final RealServers real;
    private final WorkflowServiceStubs stubs;
    private final WorkerFactory workers;
    private final ApplicationContext api;

    private DevStack(Options options, LoopbackTemporal temporal, EmbeddedS3Server s3, RealServers real,
                     WorkflowServiceStubs stubs, WorkerFactory workers, ApplicationContext api) {
        this.options = options;
        this.temporal = temporal;
        this.s3 = s3;
        this.real = real;
        this.stubs = stubs;
        this.workers = workers;
        this.api = api;
    }

    public static DevStack start(Options options) throws Exception {
        LoopbackTemporal temporal = null;
        EmbeddedS3Server s3 = null;
        RealServers real = null;
        WorkflowServiceStubs stubs = null;
        try {
            String s3Endpoint;
            String temporalTarget = "127.0.0.1:" + options.temporalPort();
            if (options.real()) {
                real = options.realPorts() == null ? RealServers.startOnFreePorts(options.home())
                        : RealServers.start(options.home(), options.realPorts());
                s3Endpoint = real.s3Endpoint();
                temporalTarget = real.temporalTarget();
            } else {
                temporal = LoopbackTemporal.start(options.temporalPort());
                s3 = EmbeddedS3Server.start(options.home().resolve("s3"), options.s3Port(), DEV_ACCESS_KEY, DEV_SECRET_KEY);
                s3Endpoint = s3.endpoint();
            }
            stubs = TemporalConnection.stubs(temporalTarget);
            TemporalConnection.registerSearchAttributes(stubs, "default");
            // The same payload keys for the stack's worker as for its API (TRAINLAYER_PAYLOAD_KEYS, or the options').
            Object keys = options.extraProperties().get(TemporalConnection.PAYLOAD_KEYS);
            String payloadKeys = keys != null ? keys.toString() : System.getenv("TRAINLAYER_PAYLOAD_KEYS");
            WorkflowClient client = TemporalConnection.client(stubs, "default", TemporalConnection.dataConverter(payloadKeys));
            ObjectStore store = ObjectStore.open(new dev.trainlayer.store.StoreConfig(s3Endpoint, DEV_ACCESS_KEY, DEV_SECRET_KEY,
                    "trainlayer", "us-east-1"));
            Map<String, Object> properties = new LinkedHashMap<>(options.extraProperties());
            properties.put("micronaut.server.port", options.apiPort());
            properties.put("micronaut.server.host", options.apiHost());
            properties.put("trainlayer.temporal.target", temporalTarget);
            properties.put("trainlayer.store.endpoint", s3Endpoint);
            properties.put("trainlayer.temporal.visibility", options.real() ? "query" : "store");
            properties.put("trainlayer.store.access-key", DEV_ACCESS_KEY);
            properties.put("trainlayer.store.secret-key", DEV_SECRET_KEY);
            properties.put("trainlayer.api.keys", options.access().keys());
            properties.put(dev.trainlayer.store.StoreConfig.DEV_STACK, true);
            if (real != null) {
                // The dashboard links each run to its page in the Temporal web UI.
                properties.putIfAbsent("trainlayer.ui.temporal-web-url", real.temporalUi());
            }
            if (payloadKeys != null) {
                properties.put(TemporalConnection.PAYLOAD_KEYS, payloadKeys);
            }
            // Built by hand rather than with Micronaut.run: that registers its own shutdown hook, which
            // deadlocks against the launcher's hook that closes the whole stack in order.
            ApplicationContext api = ApplicationContext.builder().mainClass(ApiApplication.class).banner(false)
                    .properties(properties).start();
            WorkerFactory workers = Workers.newFactory(client);
            // Sticky execution only against a real server: the test server cannot hand a dead worker's
            // sticky queue to another worker. The worker reads the same project settings as the API.
            Workers.register(workers, client, store, new Workers.Options(options.trainingSlots(), 0, options.real(),
                    DataAccess.of(store.bucket(), DataAccessGuard.dataPrefixes(api.getEnvironment()))));
            workers.start();
            api.getBean(EmbeddedServer.class).start();
            return new DevStack(options, temporal, s3, real, stubs, workers, api);
        } catch (Exception | Error e) {
            closeServers(stubs, s3, temporal, real);
            throw e;
        }
    }

    /** The real servers, when the stack runs them (null for the embedded stack). */
    public RealServers realServers() {
        return real;
    }

    public WorkflowServiceStubs temporalStubs() {
        return stubs;
    }

    /** A client of this stack's API with its own key ({@link Options#access()}). */
    public ApiClient apiClient() {
        return new ApiClient(apiUrl(), options.access().token());
    }

    /** The API's address as a client on this machine reaches it (loopback when it listens on every interface). */
    public String apiUrl() {
        String host = options.apiHost();
        String reachable = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? LOOPBACK
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + reachable + ":" + api.getBean(EmbeddedServer.class).getPort();
    }

    public String temporalTarget() {
        return real != null ? real.temporalTarget() : "127.0.0.1:" + options.temporalPort();
    }

    public String s3Endpoint() {
        return real != null ? real.s3Endpoint() : s3.endpoint();
    }

    /** A client of the stack's store (its bucket, the dev credentials it runs with), for looking at what it wrote. */
    public ObjectStore objectStore() {
        return ObjectStore.open(new dev.trainlayer.store.StoreConfig(s3Endpoint(), DEV_ACCESS_KEY, DEV_SECRET_KEY, "trainlayer", "us-east-1"));
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() throws Exception {
        api.close();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        closeServers(stubs, s3, temporal, real);
    }

    /** Closes whichever of the connection and the servers exist (a failed start has only some). */
    private static void closeServers(WorkflowServiceStubs stubs, EmbeddedS3Server s3, LoopbackTemporal temporal,
                                     RealServers real) throws Exception {
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (s3 != null) {
            s3.close();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (real != null) {
            real.close();
        }
    }

    /** A free local port (tests and benchmarks start stacks side by side). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
