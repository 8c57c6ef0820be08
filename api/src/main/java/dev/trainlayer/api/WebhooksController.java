package dev.trainlayer.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.notify.Delivery;
import dev.trainlayer.workflows.notify.Webhook;
import dev.trainlayer.workflows.workflow.Alerts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's webhooks: where its events go ({@link Alerts#EVENTS}), signed with a secret the API never shows
 * again, and what happened to each delivery. Admin only: a webhook sends the project's events to any URL.
 */
@Controller("/api/v1/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhooksController {
    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,62}";

    private final ObjectStore store;
    private final ObjectMapper json;
    private final ObjectMapper strict;

    public WebhooksController(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
        this.strict = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    /** The body of a PUT; {@code secret} left out keeps the one the webhook has. */
    public record WebhookRequest(String url, List<String> events, List<String> pipelines, String secret, String format) {}

    @Put(value = "/{name}", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    public HttpResponse<Map<String, Object>> put(@PathVariable String name, @Nullable @Body String body,
                                                 @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        WebhookRequest request = parse(body);
        String url = checkUrl(request.url());
        if (request.events() == null || request.events().isEmpty()) {
            throw ApiException.badRequest("events", "name at least one of " + Alerts.EVENTS);
        }
        for (int i = 0; i < request.events().size(); i++) {
            if (!Alerts.EVENTS.contains(request.events().get(i))) {
                throw ApiException.badRequest("events[" + i + "]", "'" + request.events().get(i) + "' is not one of " + Alerts.EVENTS);
            }
        }
        List<String> pipelines = request.pipelines() == null ? List.of() : request.pipelines();
        for (int i = 0; i < pipelines.size(); i++) {
            if (pipelines.get(i) == null || !pipelines.get(i).matches(NAME)) {
                throw ApiException.badRequest("pipelines[" + i + "]", "'" + pipelines.get(i) + "' is not a pipeline name");
            }
        }
        String format = request.format() == null ? Webhook.JSON : request.format();
        if (!format.equals(Webhook.JSON) && !format.equals(Webhook.SLACK)) {
            throw ApiException.badRequest("format", "'" + format + "' is not one of json, slack");
        }
        Webhook existing = find(caller.project(), name);
        String secret = request.secret();
        if (secret != null && (secret.length() < 16 || secret.length() > 512)) {
            throw ApiException.badRequest("secret", "must be 16 to 512 characters (the receiver checks the HMAC with it)");
        }
        if (secret == null && existing != null) {
            secret = existing.secret();
        }
        Webhook webhook = new Webhook(name, caller.project(), url, List.copyOf(new java.util.LinkedHashSet<>(request.events())),
                pipelines, secret, format, caller.name(), Instant.now().toString());
        try {
            store.putBytes(Keys.webhook(caller.project(), name), json.writeValueAsBytes(webhook), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HttpResponse.<Map<String, Object>>status(existing == null ? HttpStatus.CREATED : HttpStatus.OK).body(view(webhook));
    }

    @Get
    @Allowed(Role.ADMIN)
    public Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        String prefix = Keys.webhooks(caller.project());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String key : store.list(prefix)) {
            String rest = key.substring(prefix.length());
            if (!rest.contains("/") && rest.endsWith(".json")) {
                Webhook w = find(caller.project(), rest.substring(0, rest.length() - ".json".length()));
                if (w != null) {
                    out.add(view(w));
                }
            }
        }
        return Map.of("webhooks", out, "events", Alerts.EVENTS);
    }

    @Get("/{name}")
    @Allowed(Role.ADMIN)
    public Map<String, Object> get(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return view(require(caller.project(), name));
    }

    @Delete("/{name}")
    @Allowed(Role.ADMIN)
    public HttpResponse<Void> delete(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        require(caller.project(), name);
        store.delete(Keys.webhook(caller.project(), name));
        return HttpResponse.noContent();
    }

    /** The webhook's deliveries, newest first: each event's attempts (time, HTTP status or error, duration) and outcome. */
    @Get("/{name}/deliveries")
    @Allowed(Role.ADMIN)
    public Map<String, Object> deliveries(@PathVariable String name, @Nullable @QueryValue Integer limit,
                                          @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        require(caller.project(), name);
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            throw ApiException.badRequest("limit", "must be between 1 and 500");
        }
        List<Delivery> out = new ArrayList<>();
        for (ObjectStore.Listed listed : store.listNewestFirst(Keys.webhookDeliveries(caller.project(), name))) {
            if (out.size() >= n) {
                break;
            }
            try {
                out.add(json.readValue(store.getBytes(store.bucket(), listed.key()), Delivery.class));
            } catch (IOException | ObjectNotFoundException e) {
                // being rewritten by an attempt: it shows next time
            }
        }
        return Map.of("webhook", name, "deliveries", out);
    }

    private static Map<String, Object> view(Webhook w) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", w.name());
        out.put("url", w.url());
        out.put("events", w.events());
        out.put("pipelines", w.pipelines());
        out.put("format", w.format());
        out.put("secretSet", w.secret() != null && !w.secret().isEmpty());
        out.put("updatedBy", w.updatedBy());
        out.put("updatedAt", w.updatedAt());
        out.put("links", Map.of("deliveries", "/api/v1/webhooks/" + w.name() + "/deliveries"));
        return out;
    }

    private Webhook require(String project, String name) {
        checkName(name);
        Webhook w = find(project, name);
        if (w == null) {
            throw ApiException.notFound("no webhook named '" + name + "'");
        }
        return w;
    }

    private Webhook find(String project, String name) {
        try {
            return json.readValue(store.getBytes(store.bucket(), Keys.webhook(project, name)), Webhook.class);
        } catch (ObjectNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("webhook " + name + " is unreadable", e);
        }
    }

    private static void checkName(String name) {
        if (!name.matches(NAME)) {
            throw ApiException.badRequest("name", "'" + name + "' is not a webhook name (lowercase letters, digits, . _ -)");
        }
    }

    static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("url", "is required");
        }
        if (url.length() > 2000) {
            throw ApiException.badRequest("url", "is longer than 2000 characters");
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw ApiException.badRequest("url", "must be an absolute http:// or https:// URL");
            }
            if (uri.getUserInfo() != null) {
                throw ApiException.badRequest("url", "must not carry credentials; use the secret to sign deliveries");
            }
            return uri.toString();
        } catch (java.net.URISyntaxException e) {
            throw ApiException.badRequest("url", "is not a URL: " + e.getReason());
        }
    }

    private WebhookRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("$", "a JSON body {url, events[], pipelines[]?, secret?, format?} is required");
        }
        try {
            WebhookRequest r = strict.readValue(body, WebhookRequest.class);
            if (r == null) {
                throw ApiException.badRequest("$", "a JSON object is required");
            }
            return r;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw ApiException.badRequest(e.getPropertyName(), "unknown field");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "$" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw ApiException.badRequest(field == null ? "$" : field, "has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("$", "malformed JSON: " + e.getOriginalMessage());
        }
    }
}
