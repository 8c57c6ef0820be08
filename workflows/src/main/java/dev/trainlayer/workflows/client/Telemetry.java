package dev.trainlayer.workflows.client;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * The process's metrics, in Prometheus form: one registry per JVM that trainlayer's own meters (runs, trials,
 * gates, webhooks), the Temporal SDK's client and worker metrics (through its Micrometer reporter; workflow code
 * records through {@code Workflow.getMetricsScope()}, which stays silent while replaying) and the JVM's land in.
 * {@link #scrape()} is what {@code GET /metrics} answers. An API and a worker in one process (the dev stack)
 * share it, so one scrape shows both.
 */
public final class Telemetry {
    private static final PrometheusMeterRegistry REGISTRY = create();
    private static final Scope SCOPE = new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(REGISTRY))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));

    /** Prometheus's text format, version 0.0.4 (what every Prometheus scrapes). */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Telemetry() {}

    private static PrometheusMeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Meters made through Micrometer's global registry (trainlayer's activities) land here too.
        Metrics.addRegistry(registry);
        return registry;
    }

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    /** The Temporal SDK's metrics scope: give it to the service stubs ({@code setMetricsScope}). */
    public static Scope temporalScope() {
        return SCOPE;
    }

    /** Every meter, in Prometheus text format. */
    public static String scrape() {
        return REGISTRY.scrape();
    }
}
