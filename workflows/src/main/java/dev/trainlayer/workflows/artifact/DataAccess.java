package dev.trainlayer.workflows.artifact;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which objects a project's specs may read as {@code data.uri}: its own uploads
 * ({@code s3://{store bucket}/uploads/{project}/…}) and the prefixes an admin configured for it
 * ({@code trainlayer.projects.<p>.data-prefixes}: {@code s3://bucket/prefix} URIs or key prefixes in the store's
 * bucket). Never the store's own objects — datasets, runs, models, pipelines, feedback, predictions — and never
 * another project's uploads. The API checks a spec with it before starting a run, and the snapshot activity
 * checks again before reading a byte, so a run started around the API cannot read past it either.
 */
public final class DataAccess {
    /** Key prefixes of the store's bucket that hold trainlayer's own objects. */
    public static final List<String> INTERNAL = List.of("datasets/", "runs/", "models/", "pipelines/", "uploads/",
            "feedback/", "predictions/", "webhooks/");
    private static final Pattern S3 = Pattern.compile("s3://([^/]+)/(.*)");

    private final String bucket;
    private final Map<String, List<String>> prefixes;

    private DataAccess(String bucket, Map<String, List<String>> prefixes) {
        this.bucket = bucket;
        this.prefixes = prefixes;
    }

    /**
     * @param prefixes per project, the configured readable prefixes; one that reaches into the store's own
     *                 objects is a configuration error (the message names it)
     */
    public static DataAccess of(String bucket, Map<String, List<String>> prefixes) {
        Map<String, List<String>> normalized = new TreeMap<>();
        prefixes.forEach((project, list) -> {
            List<String> uris = list.stream().map(String::trim).filter(s -> !s.isEmpty())
                    .map(p -> p.startsWith("s3://") ? p : "s3://" + bucket + "/" + p).toList();
            for (String uri : uris) {
                Matcher m = S3.matcher(uri);
                if (!m.matches() || m.group(1).isEmpty() || unsafe(m.group(2))) {
                    throw new IllegalArgumentException("trainlayer.projects." + project + ".data-prefixes: '" + uri
                            + "' is not an s3://bucket/prefix or a key prefix");
                }
                if (m.group(1).equals(bucket) && (m.group(2).isEmpty() || internal(m.group(2)) != null
                        || INTERNAL.stream().anyMatch(i -> i.startsWith(m.group(2))))) {
                    throw new IllegalArgumentException("trainlayer.projects." + project + ".data-prefixes: '" + uri
                            + "' reaches into the store's own objects (" + String.join(", ", INTERNAL)
                            + "); give data its own prefix or bucket");
                }
            }
            normalized.put(project, List.copyOf(uris));
        });
        return new DataAccess(bucket, Map.copyOf(normalized));
    }

    public static DataAccess uploadsOnly(String bucket) {
        return of(bucket, Map.of());
    }

    /** The prefix under which a project's API uploads live. */
    public static String uploads(String project) {
        return "uploads/" + project + "/";
    }

    public List<String> prefixes(String project) {
        return prefixes.getOrDefault(project, List.of());
    }

    /**
     * Why {@code project} may not read {@code uri}, or empty when it may. The message is meant for the user
     * who wrote the spec: it says where data may come from.
     */
    public Optional<String> refusal(String project, String uri) {
        Matcher m = S3.matcher(uri == null ? "" : uri);
        if (!m.matches()) {
            return Optional.of("'" + uri + "' is not an s3://bucket/key URI");
        }
        String uriBucket = m.group(1);
        String key = m.group(2);
        if (unsafe(key)) {
            return Optional.of("'" + uri + "' has an empty, '.' or '..' path segment");
        }
        if (uriBucket.equals(bucket) && key.startsWith(uploads(project))) {
            return Optional.empty();
        }
        if (uriBucket.equals(bucket) && internal(key) != null) {
            return Optional.of("'" + uri + "' is inside the store's " + internal(key) + " prefix, which specs cannot read; "
                    + "upload the data (PUT /api/v1/datasets/{name}) and use the uri it answers");
        }
        for (String prefix : prefixes(project)) {
            if (uri.startsWith(prefix)) {
                return Optional.empty();
            }
        }
        List<String> allowed = new java.util.ArrayList<>(List.of("s3://" + bucket + "/" + uploads(project)));
        allowed.addAll(prefixes(project));
        return Optional.of("project '" + project + "' may not read '" + uri + "': it may read " + String.join(", ", allowed)
                + " (an admin adds prefixes with trainlayer.projects." + project + ".data-prefixes)");
    }

    private static String internal(String key) {
        return INTERNAL.stream().filter(key::startsWith).findFirst().orElse(null);
    }

    /** Keys whose segments a server might normalize ("a/../models/x"): refused rather than guessed at. */
    private static boolean unsafe(String key) {
        if (key.startsWith("/") || key.contains("//") || key.contains("\\")) {
            return true;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
