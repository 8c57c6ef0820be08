package dev.trainlayer.api.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route that, besides the keys its {@link Allowed} role admits, also answers the metrics scrape token
 * ({@code trainlayer.metrics.token}, {@code TRAINLAYER_METRICS_TOKEN}): a credential for Prometheus that opens
 * {@code GET /metrics} and nothing else.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ScrapeToken {}
