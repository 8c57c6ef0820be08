package dev.trainlayer.infra;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal Java test server as a gRPC server on 127.0.0.1 only. The SDK's own port-bound mode
 * ({@code TestServer.createPortBoundServer}) listens on every interface, which would let anyone who reaches the
 * machine start, signal, reset or terminate any workflow — the registry's rollback included — without a key. The
 * same services are bound here to the loopback address (the SDK's service starter and health registration; the
 * SDK keeps them public for this use; a test reads this process's listening sockets to hold it to loopback).
 */
public final class LoopbackTemporal implements AutoCloseable {
    private final TestServicesStarter services;
    private final Server server;

    private LoopbackTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /** Starts on {@code port} of 127.0.0.1 (0: a free one); the clock runs in real time (no time skipping). */
    public static LoopbackTemporal start(int port) throws IOException {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    InsecureServerCredentials.create());
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
            return new LoopbackTemporal(services, builder.build().start());
        } catch (IOException | RuntimeException e) {
            services.close();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        services.close();
    }
}
