package dev.trainlayer.api.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A dashboard page: a browser that opens it without a session (and without a key) is sent to the login page
 * ({@code 303}) instead of getting a 401 problem. The page still needs its {@link Allowed} role.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UiPage {}
