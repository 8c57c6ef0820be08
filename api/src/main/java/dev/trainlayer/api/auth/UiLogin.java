package dev.trainlayer.api.auth;

import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The login page's side of {@link UiSessions}: trades an API key for a session, ends one, names its CSRF token. */
@Singleton
public class UiLogin {
    private static final Logger log = LoggerFactory.getLogger(UiLogin.class);

    private final AuthBeans.Credentials credentials;
    private final UiSessions sessions;

    public UiLogin(AuthBeans.Credentials credentials, UiSessions sessions) {
        this.credentials = credentials;
        this.sessions = sessions;
    }

    /** A new session for this API key, or empty when it is no key of ours. */
    public Optional<String> login(String apiKey) {
        Optional<ApiKeys.Entry> entry = credentials.keys().match(apiKey == null ? null : apiKey.strip());
        if (entry.isEmpty()) {
            log.info("dashboard login refused: not a valid API key");
            return Optional.empty();
        }
        log.info("dashboard login: key '{}' ({}, project {})", entry.get().caller().name(), entry.get().caller().role().wire(),
                entry.get().caller().project());
        return Optional.of(sessions.open(entry.get()));
    }

    /** Who a session belongs to, if it is still valid. */
    public Optional<Caller> caller(String session) {
        return sessions.verify(session, credentials.keys());
    }

    public String csrfToken(String session) {
        return sessions.csrfToken(session);
    }

    boolean csrfMatches(String session, String presented) {
        return sessions.csrfMatches(session, presented);
    }

    public void logout(String session) {
        sessions.close(session);
    }

    public java.time.Duration ttl() {
        return sessions.ttl();
    }
}
