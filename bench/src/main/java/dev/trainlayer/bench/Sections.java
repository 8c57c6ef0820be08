package dev.trainlayer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Each benchmark owns one marked section of docs/benchmarks.md and rewrites only that. */
final class Sections {
    private Sections() {}

    /** Replaces the text between {@code start} and {@code end} (markers included), or appends the section. */
    static void write(Path file, String start, String end, CharSequence body) throws IOException {
        String section = start + "\n" + body + end;
        String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = existing.indexOf(start);
        int to = existing.indexOf(end);
        Files.writeString(file, from >= 0 && to > from
                ? existing.substring(0, from) + section + existing.substring(to + end.length())
                : existing + "\n" + section + "\n");
    }
}
