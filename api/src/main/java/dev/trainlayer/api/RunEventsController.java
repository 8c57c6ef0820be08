package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code GET /api/v1/runs/{runId}/events}: the run as a Server-Sent Events stream. Each event's name is its
 * type (see {@link dev.trainlayer.workflows.workflow.RunEvent}), its data the event as JSON and its id the cursor
 * to resume from; the stream ends after {@code run.finished}. A comment line every 15 s keeps idle proxies open.
 */
@Controller("/api/v1/runs")
public class RunEventsController {
    private static final Logger log = LoggerFactory.getLogger(RunEventsController.class);
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final RunService runs;
    private final RunEvents events;
    private final Duration interval;
    private final ExecutorService pollers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "run-events");
        t.setDaemon(true);
        return t;
    });

    public RunEventsController(RunService runs, RunEvents events,
                               @Value("${trainlayer.api.events.poll-interval:1s}") Duration interval) {
        this.runs = runs;
        this.events = events;
        this.interval = interval;
    }

    /**
     * @param lastEventId the id of the last event a client got (browsers send it when they reconnect)
     * @param after       the same, for clients that cannot set headers
     * @param follow      false: send what has happened so far and end, without waiting for the run to end
     */
    @Get(value = "/{runId}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Allowed(Role.VIEWER)
    public Publisher<Event<Object>> stream(@PathVariable String runId, @Nullable @Header("Last-Event-ID") String lastEventId,
                                           @Nullable @QueryValue String after, @Nullable @QueryValue Boolean follow,
                                           @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RunRecord run = runs.require(caller.project(), runId);
        RunEvents.Cursor start = RunEvents.Cursor.parse(lastEventId != null && !lastEventId.isBlank() ? lastEventId : after);
        return Flux.create(sink -> pollers.execute(() -> feed(run, start, follow == null || follow, sink)), FluxSink.OverflowStrategy.BUFFER);
    }

    private void feed(RunRecord run, RunEvents.Cursor start, boolean follow, FluxSink<Event<Object>> sink) {
        RunEvents.Cursor cursor = start;
        int kfold = events.kfold(run);
        long quietSince = System.currentTimeMillis();
        try {
            while (!sink.isCancelled()) {
                RunEvents.Batch batch = events.poll(run, kfold, cursor);
                for (RunEvents.Emitted e : batch.events()) {
                    sink.next(Event.<Object>of(e.event()).id(e.id()).name(e.event().type()));
                }
                if (!batch.events().isEmpty()) {
                    quietSince = System.currentTimeMillis();
                }
                cursor = batch.cursor();
                if (batch.ended() || !follow) {
                    break;
                }
                if (System.currentTimeMillis() - quietSince >= KEEPALIVE_MILLIS) {
                    sink.next(Event.<Object>of("").comment("keepalive"));
                    quietSince = System.currentTimeMillis();
                }
                Thread.sleep(interval.toMillis());
            }
            sink.complete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.complete();
        } catch (RuntimeException e) {
            log.warn("event stream of run {} stopped: {}", run.runId(), e.toString());
            sink.error(e);
        }
    }

    @PreDestroy
    void close() {
        pollers.shutdownNow();
    }
}
