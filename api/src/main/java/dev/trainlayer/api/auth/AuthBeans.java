package dev.trainlayer.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API keys, read once at start-up: a missing or malformed key list stops the API before it listens. */
@Factory
public class AuthBeans {
    private static final Logger log = LoggerFactory.getLogger(AuthBeans.class);

    @Context
    ApiKeys apiKeys(@Value("${trainlayer.api.keys:}") String keys) {
        ApiKeys parsed = ApiKeys.parse(keys);
        if (parsed.isEmpty()) {
            throw new IllegalStateException("no API keys are configured, so no call could be authorized: set TRAINLAYER_API_KEYS "
                    + "(or trainlayer.api.keys) to comma-separated name:project:role:secret entries, roles viewer|trainer|approver|admin "
                    + "(`./trainlayer dev` and `./trainlayer demo` create one admin key by themselves)");
        }
        log.info("API keys: {} configured", parsed.size());
        return parsed;
    }
}
