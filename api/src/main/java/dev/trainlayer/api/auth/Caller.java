package dev.trainlayer.api.auth;

/**
 * Who is calling, from the key they presented: the key's name (the actor recorded in audit trails), the
 * one project whose objects they see, and their role.
 */
public record Caller(String name, String project, Role role) {
    /** The request attribute {@link AuthFilter} sets and controllers read with {@code @RequestAttribute}. */
    public static final String ATTRIBUTE = "trainlayer.caller";
}
