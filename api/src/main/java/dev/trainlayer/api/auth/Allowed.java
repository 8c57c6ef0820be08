package dev.trainlayer.api.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a route needs. Every controller method carries one (or {@link Public}): {@link AuthFilter}
 * refuses a matched route that has neither, so a route added without a decision answers 403 to everyone
 * instead of answering anyone, and the auth matrix test fails on it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allowed {
    Role value();
}
