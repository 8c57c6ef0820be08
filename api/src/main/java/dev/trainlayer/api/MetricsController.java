package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.api.auth.ScrapeToken;
import dev.trainlayer.workflows.client.Telemetry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * Prometheus metrics of this process ({@link Telemetry}): the API's Temporal client, the JVM, and — where the
 * worker runs in the same process, as in {@code ./trainlayer dev} — runs, trials, gates and webhook deliveries.
 * Metrics span every project, so the route takes an admin key or the scrape token, never a viewer's key.
 */
@Controller("/metrics")
public class MetricsController {
    @Get(produces = Telemetry.CONTENT_TYPE)
    @Allowed(Role.ADMIN)
    @ScrapeToken
    public HttpResponse<String> scrape() {
        return HttpResponse.ok(Telemetry.scrape()).contentType(Telemetry.CONTENT_TYPE);
    }
}
