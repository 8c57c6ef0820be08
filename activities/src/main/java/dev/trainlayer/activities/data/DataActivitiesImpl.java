package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Monitoring;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.spec.ValidationSpec;

import dev.trainlayer.activities.Liveness;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.features.FeaturePipeline;
import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.activities.features.PipelineCompatibility;
import dev.trainlayer.activities.features.Splitter;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.ReadAhead;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.DataActivities;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.FoldFeatures;
import dev.trainlayer.workflows.activity.PipelineReuse;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.artifact.DataAccess;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.activity.ValidationReport;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.ColumnSpec;
import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.Expression;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Task;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Snapshot, validation and feature building against the object store. */
public class DataActivitiesImpl implements DataActivities {
    private static final Logger log = LoggerFactory.getLogger(DataActivitiesImpl.class);
    private static final Pattern S3 = Pattern.compile("s3://([^/]+)/?(.*)");
    /** Fewer rows than this cannot give a train, a validation and a test split worth the name. */
    static final int MIN_ROWS = 20;
    static final int MAX_CLASSES = 200;

    private final ObjectStore store;
    private final DataAccess access;
    /** Tables parsed by this worker's snapshots, for the validation and features of the same snapshot. */
    private final ParsedSnapshots parsed = ParsedSnapshots.configured();

    public DataActivitiesImpl(ObjectStore store) {
        this(store, DataAccess.uploadsOnly(store.bucket()));
    }

    /** @param access what each project may read as {@code data.uri} (the worker's copy of the API's rule) */
    public DataActivitiesImpl(ObjectStore store, DataAccess access) {
        this.store = store;
        this.access = access;
    }

    public record Schema(long rows, List<Map<String, String>> columns) {}

    /** The tables this worker keeps from its snapshots (for tests). */
    ParsedSnapshots parsed() {
        return parsed;
    }

    @Override
    public SnapshotResult snapshot(SnapshotInput input) {
        try (Liveness alive = Liveness.start()) {
            return snapshotBody(input);
        }
    }

    private SnapshotResult snapshotBody(SnapshotInput input) {
        if (input.stored() != null) {
            // A reproduction takes the version's own snapshot (the store's, named by the run's pipeline and sha256): no
            // spec names it, so no project prefix applies.
            String key = Keys.datasetData(input.dataset(), input.stored());
            if (!store.exists(key)) {
                throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, "the dataset snapshot " + input.stored() + " of "
                        + input.dataset() + " is no longer in the store (s3://" + store.bucket() + "/" + key + ")");
            }
            return snapshotFrom(input.withUri("s3://" + store.bucket() + "/" + key), store.bucket(), key);
        }
        Matcher m = S3.matcher(input.uri() == null ? "" : input.uri());
        if (!m.matches()) {
            throw Failures.nonRetryable(FailureTypes.INVALID_SPEC, "data.uri '" + input.uri() + "' is not an s3://bucket/key URI");
        }
        if (input.project() != null) {
            // Checked again here (the API checked first): a run started around the API must not read past it.
            access.refusal(input.project(), input.uri()).ifPresent(why -> {
                throw Failures.nonRetryable(FailureTypes.DATA_ACCESS_DENIED, "data.uri: " + why);
            });
        }
        return snapshotFrom(input, m.group(1), m.group(2));
    }

    private SnapshotResult snapshotFrom(SnapshotInput input, String bucket, String key) {
        String extension = input.parquet() ? ".parquet" : ".csv";
        List<String> parts = sourceParts(bucket, key, input.uri(), extension);
        Path tmp = null;
        // Heap this snapshot may pack its rows into (see ParsedSnapshots), held until the packed table is kept.
        long granted = 0;
        try {
            tmp = Files.createTempFile("trainlayer-snapshot-", ".csv");
            store.ensureBucket(store.bucket());
            FeedbackMerge.Merged feedback = FeedbackMerge.Merged.NONE;
            java.util.concurrent.CompletableFuture<ArtifactRef> upload;
            InputStream table;
            ObjectStore.Stat stat = !input.parquet() && parts.size() == 1 && input.feedback() == null
                    ? store.stat(bucket, parts.get(0)).orElse(null) : null;
            if (stat != null && stat.etag() != null) {
                // One object, read once (the version stat saw: a store that honours If-Match refuses a changed one):
                // profiled as it streams in, while a read-ahead thread hashes it and keeps a local copy; then the store
                // copies the object itself to the snapshot's key (see keep).
                String part = parts.get(0);
                if (stat.size() == 0) {
                    throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "the data is empty: a header line and rows are expected");
                }
                InputStream object;
                try {
                    object = store.open(bucket, part, stat.etag());
                } catch (ObjectNotFoundException e) {
                    throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, e.getMessage());
                }
                SnapshotCopy source = new SnapshotCopy(object, Files.newOutputStream(tmp));
                Path copy = tmp;
                upload = source.done().thenApplyAsync(done -> keep(done, bucket, part, copy, input.dataset()), UPLOADS);
                table = new ReadAhead(source, "snapshot");
            } else {
                String sha256 = input.parquet() ? fromParquet(bucket, parts, tmp) : concatenate(bucket, parts, tmp);
                if (input.feedback() != null) {
                    feedback = new FeedbackMerge(store).append(input.feedback(), input.feedbackUntilMillis(), tmp);
                }
                if (feedback.rows() > 0) {
                    sha256 = sha256(tmp);
                }
                // The copy goes up to the store while the table is profiled (the other core's work on a worker); the key
                // is the content's, so a copy of data the profile then refuses is just an unreferenced snapshot.
                String dataKey = Keys.datasetData(input.dataset(), sha256);
                Path copy = tmp;
                String digest = sha256;
                upload = store.exists(dataKey)
                        ? java.util.concurrent.CompletableFuture.completedFuture(new ArtifactRef(store.bucket(), dataKey, sha256, Files.size(tmp)))
                        : java.util.concurrent.CompletableFuture.supplyAsync(() -> store.putFile(dataKey, copy, digest, "text/csv"),
                                UPLOADS);
                table = Files.newInputStream(tmp);
            }
            Profiler profiler;
            List<String> header;
            Table.Scanned scanned;
            try {
                // Profiled as it is read, and packed too while the packed rows fit what ParsedSnapshots grants (half
                // the heap between the tables kept and the snapshots packing now): kept for this worker's validation
                // and features of the snapshot, which otherwise parse it again.
                granted = parsed.reserve();
                try (InputStream in = table) {
                    Profiler[] sink = new Profiler[1];
                    scanned = Table.scanCellsPacked(in, h -> sink[0] = new Profiler(h), granted);
                    header = scanned.header();
                    profiler = sink[0];
                } catch (Table.CsvFormatException e) {
                    throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "data.uri " + input.uri() + ": " + e.getMessage());
                }
                if (profiler.needsRecount()) {
                    // A column numeric past the cap on counted values, then not: its counts are taken again.
                    try (InputStream in = Files.newInputStream(tmp)) {
                        Table.scan(in, h -> profiler.recount());
                    }
                }
            } finally {
                // Never leave the upload running past the activity (nor delete the file under it); a failed profile's
                // own failure is the one thrown.
                table.close();
                upload.handle((ref, failure) -> ref).join();
            }
            ArtifactRef data = finished(upload);
            String sha256 = data.sha256();
            long rows = profiler.rows();
            if (rows == 0) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "data.uri " + input.uri() + " has a header but no rows");
            }
            if (scanned.packed() != null) {
                parsed.keep(data, scanned.packed(), scanned.bytes(), granted);
                granted = 0;
            }
            List<ColumnProfile> profile = profiler.profiles();
            List<Map<String, String>> columns = profile.stream()
                    .map(p -> Map.of("name", p.name(), "type", p.type())).toList();
            ArtifactRef schema = store.putBytes(Keys.datasetSchema(input.dataset(), sha256),
                    Json.bytes(new Schema(rows, columns)), "application/json");
            ArtifactRef profileRef = store.putBytes(Keys.datasetProfile(input.dataset(), sha256),
                    Json.bytes(profile), "application/json");
            log.info("snapshot of {} ({} parts): {} rows x {} columns, sha256 {}", input.uri(), parts.size(),
                    rows, header.size(), sha256);
            if (input.feedback() == null) {
                return new SnapshotResult(data, sha256, rows, header.size(), schema, profileRef);
            }
            ArtifactRef manifest = store.putBytes(Keys.datasetFeedback(input.dataset(), sha256), Json.bytes(feedback.parts()),
                    "application/json");
            if (feedback.rows() > 0) {
                log.info("snapshot of {}: {} feedback rows from {} part(s) ({} replaced by a later label of the same prediction)",
                        input.uri(), feedback.rows(), feedback.parts().size(), feedback.replaced());
            }
            return new SnapshotResult(data, sha256, rows, header.size(), schema, profileRef, feedback.rows(),
                    feedback.parts().size(), manifest);
        } catch (IOException e) {
            throw new IllegalStateException("snapshot of " + input.uri() + " failed: " + e.getMessage(), e);
        } finally {
            parsed.release(granted);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /**
     * Stores a snapshot read from one object: when its bytes are the object's own, as a server-side copy of the object,
     * kept when the copy's ETag is the MD5 of the bytes read; otherwise, or when the copy holds other bytes (the object
     * changed since it was read, or the store's ETags are not MD5s), as the local copy of the bytes read.
     */
    ArtifactRef keep(SnapshotCopy.Done done, String bucket, String part, Path local, String dataset) {
        String dataKey = Keys.datasetData(dataset, done.sha256());
        if (store.exists(dataKey)) {
            return new ArtifactRef(store.bucket(), dataKey, done.sha256(), done.size());
        }
        if (done.verbatim()) {
            String copied = store.copy(bucket, part, dataKey);
            if (copied.equalsIgnoreCase(done.md5())) {
                return new ArtifactRef(store.bucket(), dataKey, done.sha256(), done.size());
            }
            log.info("the store's copy of s3://{}/{} is not the bytes read (ETag {}, MD5 {}): writing those instead", bucket, part,
                    copied, done.md5());
        }
        return store.putFile(dataKey, local, done.sha256(), "text/csv");
    }

    /** Uploads of snapshot copies, run beside the profiling pass (daemon threads, made as needed). */
    private static final java.util.concurrent.ExecutorService UPLOADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "trainlayer-snapshot-upload");
        t.setDaemon(true);
        return t;
    });

    /**
     * Uploads run one at a time, in the order asked, on an {@link #UPLOADS} thread, beside the work that makes the next
     * artifact (a worker's other core). A failed upload fails those after it.
     */
    private final class InOrder {
        private java.util.concurrent.CompletableFuture<ArtifactRef> last =
                java.util.concurrent.CompletableFuture.completedFuture(null);

        java.util.concurrent.CompletableFuture<ArtifactRef> put(String key, byte[] bytes, String contentType) {
            return put(key, () -> bytes, contentType);
        }

        /** {@link #put} of bytes made on the upload's thread too (the caller goes on meanwhile). */
        java.util.concurrent.CompletableFuture<ArtifactRef> put(String key, java.util.function.Supplier<byte[]> bytes,
                                                               String contentType) {
            last = last.thenApplyAsync(before -> store.putBytes(key, bytes.get(), contentType), UPLOADS);
            return last;
        }

        /** Waits for every upload asked for to end, failed or not (an activity never leaves one running). */
        void settle() {
            last.handle((ref, failure) -> ref).join();
        }
    }

    /** The upload's reference once it is done; its failure as thrown where it happened. */
    private static ArtifactRef finished(java.util.concurrent.CompletableFuture<ArtifactRef> upload) {
        try {
            return upload.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private List<String> sourceParts(String bucket, String key, String uri, String extension) {
        if (!key.isEmpty() && !key.endsWith("/") && store.size(bucket, key).isPresent()) {
            return List.of(key);
        }
        String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        List<String> parts = store.list(bucket, prefix).stream()
                .filter(k -> k.toLowerCase(Locale.ROOT).endsWith(extension)).toList();
        if (parts.isEmpty()) {
            throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, "data.uri " + uri
                    + " not found: no such object, and no " + extension + " parts under that prefix");
        }
        return parts;
    }

    /** Parquet parts, in key order, into one CSV at {@code target} (see {@link ParquetParts}); returns its sha256. */
    private String fromParquet(String bucket, List<String> parts, Path target) throws IOException {
        long[] rows = {0};
        try (ParquetParts parquet = new ParquetParts();
             java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(target),
                     java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
            for (String part : parts) {
                Path local = Files.createTempFile("trainlayer-part-", ".parquet");
                try {
                    try (InputStream in = store.open(bucket, part)) {
                        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (ObjectNotFoundException e) {
                        throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, e.getMessage());
                    }
                    rows[0] += parquet.append(local, "s3://" + bucket + "/" + part, out, () -> Heartbeats.beat(rows[0]));
                } finally {
                    Files.deleteIfExists(local);
                }
                Heartbeats.beat(rows[0]);
            }
            if (!parquet.started()) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "the Parquet data has no columns");
            }
        }
        return sha256(target);
    }

    /** Concatenates CSV parts (header once; every part must have the same header) and returns the sha256. */
    private String concatenate(String bucket, List<String> parts, Path target) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bytes = 0;
        String header = null;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            for (String part : parts) {
                try (InputStream in = new BufferedInputStream(store.open(bucket, part), 1 << 16)) {
                    String firstLine = readLine(in);
                    if (firstLine == null) {
                        continue;
                    }
                    if (header == null) {
                        header = firstLine;
                        out.write((firstLine + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    } else if (!header.equals(firstLine)) {
                        throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "CSV part s3://" + bucket + "/" + part
                                + " has a different header than the first part");
                    }
                    byte[] buf = new byte[1 << 16];
                    int n;
                    int last = '\n';
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        last = buf[n - 1];
                        bytes += n;
                        Heartbeats.beat(bytes);
                    }
                    if (last != '\n') {
                        out.write('\n');
                    }
                } catch (ObjectNotFoundException e) {
                    throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, e.getMessage());
                }
            }
        }
        if (header == null) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "the data is empty: a header line and rows are expected");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The next line of {@code in} as a snapshot keeps a header line (see {@link SnapshotCopy.Line#text}); null at its end. */
    private static String readLine(InputStream in) throws IOException {
        SnapshotCopy.Line line = SnapshotCopy.line(in);
        return line == null ? null : line.text();
    }

    /**
     * The table this worker's snapshot of {@code ref} parsed and kept, while the stored snapshot is still there as it
     * was written (else it is read from the store, and refused there, as it would be without a kept table); null for
     * none.
     */
    private Table kept(ArtifactRef ref) {
        Table kept = parsed.get(ref);
        if (kept == null) {
            return null;
        }
        java.util.Optional<ObjectStore.Stat> stored = store.stat(ref.bucket(), ref.key());
        if (stored.isEmpty() || stored.get().size() != ref.size()) {
            parsed.forget(ref);
            return null;
        }
        log.info("{}: the table this worker parsed as it took the snapshot (not read again)", ref.uri());
        return kept;
    }

    private Table load(ArtifactRef ref) {
        Table kept = kept(ref);
        if (kept != null) {
            return kept;
        }
        // The reference's sha256 is checked as the table is read to its end (ARTIFACT_CORRUPT on a mismatch).
        // Packed: the features are built in passes over the rows, and a table of Strings is several times the file.
        try (InputStream in = new ReadAhead(store.open(ref), "load")) {
            return Table.readPacked(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ref.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ValidationReport validate(ValidateInput input) {
        try (Liveness alive = Liveness.start()) {
            return validateBody(input);
        }
    }

    private ValidationReport validateBody(ValidateInput input) {
        PipelineSpec spec = input.spec().withDefaults();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> classes = List.of();
        String target = spec.target();
        // One pass over the snapshot as it streams from the store: the table is never held here.
        ValidationScan scan = stream(input.snapshot().data(), header -> {
            if (!header.contains(target)) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "target: column '" + target
                        + "' is not in the data; columns are: " + String.join(", ", header));
            }
            return new ValidationScan(header, spec, input.snapshot().rows(),
                    input.championData() != null ? Monitoring.REFERENCE_ROWS : 0);
        });
        if (scan.rows < MIN_ROWS) {
            problems.add("the data has " + scan.rows + " rows; at least " + MIN_ROWS + " are needed to train, validate and test");
        }
        if (scan.emptyLabels > 0) {
            problems.add("target column '" + target + "' is empty or NaN in " + scan.emptyLabels + " rows (CSV lines "
                    + scan.firstEmptyLabelLines.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + (scan.emptyLabels > 5 ? ", ..." : "") + "); drop or fill those rows");
        }
        if (spec.task() == Task.REGRESSION) {
            if (scan.firstNonNumericLabel != null) {
                problems.add("target column '" + target + "' must be numeric for regression but CSV line "
                        + scan.firstNonNumericLabel.line() + " has '" + scan.firstNonNumericLabel.value() + "'");
            }
        } else {
            classes = ValidationScan.ordered(scan.classes);
            if (classes.size() < 2) {
                problems.add("target column '" + target + "' has a single class (" + String.join(", ", classes)
                        + "); classification needs at least two");
            } else if (classes.size() > MAX_CLASSES) {
                problems.add("target column '" + target + "' has " + classes.size() + " classes; is the task regression?");
            }
        }
        checkDeclaredColumns(spec, scan, problems);
        ColumnProfile[] profile = Json.read(store.getBytes(input.snapshot().profile()), ColumnProfile[].class);
        for (ColumnProfile p : profile) {
            if (!p.name().equals(target) && ColumnProfile.EMPTY.equals(p.type())) {
                warnings.add("column '" + p.name() + "' is entirely empty; it will be left out");
            }
        }
        ValidationSpec rules = spec.validationOrDefault();
        if (spec.task() == Task.CLASSIFICATION && classes.size() >= 2) {
            labelBalance(scan.classCounts, scan.labelled, target, rules.labelBalanceOrDefault(), problems, warnings);
        }
        if (input.championData() != null && problems.isEmpty()) {
            Table sample = scan.sampleTable();
            if (sample == null) {
                // The snapshot's row count did not place the sample: take it from the whole table.
                sample = Monitoring.sample(load(input.snapshot().data()), Monitoring.REFERENCE_ROWS);
            }
            driftVsChampion(sample, input.championData(), target, rules.driftOrDefault(), problems, warnings);
        }
        if (!problems.isEmpty()) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, String.join("; ", problems));
        }
        return new ValidationReport(warnings, classes, scan.rows);
    }

    /**
     * Streams a stored CSV table through the consumer {@code make} builds from its header, which takes only the cells
     * it reads (see {@link Table.Cells}); returns that consumer.
     */
    private <C extends Table.Cells> C stream(ArtifactRef ref, java.util.function.Function<List<String>, C> make) {
        List<C> made = new ArrayList<>(1);
        java.util.function.Function<List<String>, Table.Cells> sink = header -> {
            C cells = make.apply(header);
            made.add(cells);
            return cells;
        };
        Table kept = kept(ref);
        if (kept != null) {
            kept.scanCells(sink);
            return made.get(0);
        }
        // The reference's sha256 is checked as the table is read to its end (ARTIFACT_CORRUPT on a mismatch).
        try (InputStream in = new ReadAhead(store.open(ref), "scan")) {
            Table.scanCells(in, sink);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ref.uri() + ": " + e.getMessage(), e);
        }
        return made.get(0);
    }

    /** validation.labelBalance: every class holds at least minShare of the labels. */
    static void labelBalance(Map<String, Long> counts, long labelled, String target, ValidationSpec.LabelBalance rule,
                             List<String> problems, List<String> warnings) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            double share = (double) e.getValue() / labelled;
            if (share < rule.minShareOrDefault()) {
                String message = String.format(Locale.ROOT, "target column '%s': class '%s' is %.2f%% of the labels (%d of %d), below "
                        + "validation.labelBalance.minShare %.2f%%; metrics on it are noisy, consider more data or class weights",
                        target, e.getKey(), 100 * share, e.getValue(), labelled, 100 * rule.minShareOrDefault());
                (rule.fails() ? problems : warnings).add(message);
            }
        }
    }

    /** validation.drift: each column's PSI against the champion's training data stays under maxPsi. */
    private void driftVsChampion(Table sample, String championData, String target, ValidationSpec.Drift rule, List<String> problems,
                                 List<String> warnings) {
        java.util.Optional<Table> reference = Monitoring.sample(store, championData);
        if (reference.isEmpty()) {
            warnings.add("the champion's training data " + championData + " is gone from the store: drift against it was not checked");
            return;
        }
        Monitoring.Drift drift = Monitoring.drift(reference.get(), Monitoring.sample(sample, Monitoring.REFERENCE_ROWS), null,
                rule.maxPsiOrDefault());
        for (Monitoring.ColumnDrift c : drift.columns()) {
            if (c.drifted()) {
                String test = c.ksPValue() != null ? String.format(Locale.ROOT, "KS p = %.3g", c.ksPValue())
                        : String.format(Locale.ROOT, "chi-square p = %.3g", c.chiSquarePValue());
                String message = String.format(Locale.ROOT, "column '%s' drifted from the champion's training data: PSI %.3f >= "
                        + "validation.drift.maxPsi %.3f (%s)%s", c.column(), c.psi(), rule.maxPsiOrDefault(), test,
                        c.column().equals(target) ? "; the label mix changed" : "");
                (rule.fails() ? problems : warnings).add(message);
            }
        }
    }

    private static void checkDeclaredColumns(PipelineSpec spec, ValidationScan scan, List<String> problems) {
        Set<String> columns = Set.copyOf(scan.header);
        Set<String> derived = spec.features().derived().stream().map(DerivedColumn::name).collect(Collectors.toSet());
        for (Map.Entry<String, ColumnSpec> e : spec.features().columns().entrySet()) {
            String name = e.getKey();
            if (!columns.contains(name)) {
                if (!derived.contains(name)) {
                    problems.add("features.columns." + name + ": column '" + name + "' is not in the data");
                }
                continue;
            }
            if (e.getValue() != null && e.getValue().type() == ColumnSpec.ColumnType.NUMERIC) {
                ValidationScan.Offender first = scan.firstNonNumber.get(name);
                if (first != null) {
                    problems.add("features.columns." + name + ": column '" + name + "' is declared numeric but CSV line "
                            + first.line() + " has '" + first.value() + "'");
                }
            }
            if (e.getValue() != null && e.getValue().impute() == ColumnSpec.Impute.CONSTANT
                    && e.getValue().type() != ColumnSpec.ColumnType.CATEGORICAL && !Table.isNumber(e.getValue().fill())
                    && scan.allNumbers.get(name)) {
                problems.add("features.columns." + name + ".fill: '" + e.getValue().fill() + "' is not a number");
            }
        }
        for (String excluded : spec.features().exclude()) {
            if (!columns.contains(excluded)) {
                problems.add("features.exclude: column '" + excluded + "' is not in the data");
            }
        }
        for (int i = 0; i < spec.features().derived().size(); i++) {
            DerivedColumn d = spec.features().derived().get(i);
            if (columns.contains(d.name())) {
                problems.add("features.derived[" + i + "].name: '" + d.name() + "' is already a column of the data");
            }
            for (String col : Expression.parse(d.expression()).columns()) {
                if (!columns.contains(col)) {
                    problems.add("features.derived[" + i + "].expression: column '" + col + "' is not in the data");
                }
            }
        }
    }

    /** Label classes (of trimmed labels) in a stable order: numeric labels by value, others alphabetically. */
    static List<String> classesOf(List<String> labels) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String label : labels) {
            if (!Table.isMissing(label)) {
                distinct.add(label);
            }
        }
        return ValidationScan.ordered(distinct);
    }

    /** Each row's content, fields separated by a unit separator: the split's stable identity of a row. */
    static List<String> rowKeys(Table table) {
        // Made when asked, never all held at once: the split hashes each key's bytes, taken straight from the table's
        // packed rows, and compares keys only where two hashes are equal.
        class RowKeys extends java.util.AbstractList<String> implements Splitter.KeyBytes {
            @Override
            public String get(int r) {
                return String.join("\u001f", table.rows().get(r));
            }

            @Override
            public byte[] keyBytes(int r) {
                return table.joinedBytes(r, '\u001f');
            }

            @Override
            public int keyBytes(int r, byte[] into) {
                return table.joinedBytes(r, '\u001f', into);
            }

            @Override
            public int size() {
                return table.size();
            }
        }
        return new RowKeys();
    }

    @Override
    public FeaturesResult buildFeatures(FeaturesInput input) {
        try (Liveness alive = Liveness.start()) {
            FeaturesResult result = buildFeaturesBody(input);
            // The table's last reader in a run (a retry after a failure still finds it).
            parsed.forget(input.snapshot().data());
            return result;
        }
    }

    private FeaturesResult buildFeaturesBody(FeaturesInput input) {
        PipelineSpec spec = input.spec().withDefaults();
        Table table = load(input.snapshot().data());
        String target = spec.target();
        String[] targetCells = table.cellsOf(table.column(target));
        List<String> labels = new ArrayList<>(table.size());
        for (String cell : targetCells) {
            labels.add(cell.trim());
        }
        List<String> classes = spec.task() == Task.CLASSIFICATION ? classesOf(labels) : List.of();
        Splitter.Split split = Splitter.split(labels, rowKeys(table), spec.split().test(), spec.split().validation(),
                spec.split().stratify(), spec.split().seed());
        if (split.validation().length == 0 || split.test().length == 0) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "split: with " + table.size()
                    + " rows the validation or test split is empty; add rows or raise split.test / split.validation");
        }
        String prefix = Keys.features(input.runId());
        // Each artifact goes up to the store while the next is made (one upload at a time, in order): the test rows,
        // which need no fit, first, while the pipeline is fitted.
        InOrder uploads = new InOrder();
        ArtifactRef pipeline;
        ArtifactRef trainRef;
        ArtifactRef validationRef;
        ArtifactRef testRaw;
        FittedPipeline encoding;
        PipelineReuse reuse = null;
        try {
            Table testRows = table.select(split.test());
            var testUp = uploads.put(prefix + "test.csv", testRows::toCsvBytes, "text/csv");
            Table train = table.select(split.train());
            FeaturePipeline.Fit fit;
            try {
                fit = FeaturePipeline.fit(train, target, spec.task(), classes, spec.features());
            } catch (IllegalArgumentException e) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "features: " + e.getMessage());
            }
            fit.warnings().forEach(w -> log.info("run {}: {}", input.runId(), w));
            encoding = fit.pipeline();
            if (input.reusePipeline() != null) {
                FittedPipeline earlier = Json.read(store.getBytes(input.reusePipeline()), FittedPipeline.class);
                PipelineCompatibility.Verdict verdict = PipelineCompatibility.check(earlier, fit.pipeline(), classes);
                if (verdict.compatible()) {
                    encoding = earlier;
                    reuse = new PipelineReuse(true, input.reuseVersion(), verdict.notes());
                    log.info("run {}: encoding with the feature pipeline of version {} to continue its training", input.runId(),
                            input.reuseVersion());
                } else {
                    List<String> why = verdict.refusals().stream()
                            .map(r -> "the data no longer fits version " + input.reuseVersion() + "'s feature pipeline: " + r).toList();
                    reuse = new PipelineReuse(false, input.reuseVersion(), why);
                    log.info("run {}: {}", input.runId(), String.join("; ", why));
                }
            }
            pipeline = store.putBytes(prefix + "pipeline.json", Json.bytes(encoding), "application/json");
            var trainUp = uploads.put(prefix + "train.bin", encoding.transform(train).toBytes(), "application/octet-stream");
            var validationUp = uploads.put(prefix + "validation.bin", encoding.transform(table.select(split.validation())).toBytes(),
                    "application/octet-stream");
            testRaw = finished(testUp);
            trainRef = finished(trainUp);
            validationRef = finished(validationUp);
        } finally {
            uploads.settle();
        }
        List<String> names = encoding.featureNames();
        Integer k = spec.search() == null ? null : spec.search().kfold();
        // A continued model trains on the usual split only: there is no search to cross-validate.
        boolean reused = reuse != null && reuse.reused();
        List<FoldFeatures> folds = k == null || k < 2 || reused ? List.of()
                : folds(input.runId(), spec, table, labels, split, classes, k, prefix);
        return new FeaturesResult(pipeline, trainRef, validationRef, testRaw, names.size(),
                names.size() <= 200 ? names : names.subList(0, 200), reused ? encoding.classes() : classes,
                split.train().length, split.validation().length, split.test().length, folds, reuse);
    }

    /**
     * k-fold cross-validation over the training and validation rows (never the test rows): each fold's
     * feature pipeline is fitted on its own training part, so no statistic of a held-out fold leaks in.
     */
    private List<FoldFeatures> folds(String runId, PipelineSpec spec, Table table, List<String> labels, Splitter.Split split,
                                     List<String> classes, int k, String prefix) {
        int[] pool = java.util.stream.IntStream.concat(java.util.Arrays.stream(split.train()),
                java.util.Arrays.stream(split.validation())).sorted().toArray();
        if (pool.length < 2 * k) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "search.kfold: " + k + " folds need at least " + 2 * k
                    + " training and validation rows; there are " + pool.length + ". Lower kfold or add rows");
        }
        int[][] assigned = Splitter.folds(labels, rowKeys(table), pool, k, spec.split().stratify(), spec.split().seed());
        String target = spec.target();
        List<FoldFeatures> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int held = f;
            int[] trainRows = java.util.stream.IntStream.range(0, k).filter(g -> g != held)
                    .flatMap(g -> java.util.Arrays.stream(assigned[g])).sorted().toArray();
            Table foldTrain = table.select(trainRows);
            FeaturePipeline.Fit fit;
            try {
                fit = FeaturePipeline.fit(foldTrain, target, spec.task(), classes, spec.features());
            } catch (IllegalArgumentException e) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "features (fold " + f + "): " + e.getMessage());
            }
            String foldPrefix = prefix + "folds/" + f + "/";
            ArtifactRef train = store.putBytes(foldPrefix + "train.bin", fit.pipeline().transform(foldTrain).toBytes(),
                    "application/octet-stream");
            ArtifactRef validation = store.putBytes(foldPrefix + "validation.bin",
                    fit.pipeline().transform(table.select(assigned[f])).toBytes(), "application/octet-stream");
            out.add(new FoldFeatures(f, train, validation, trainRows.length, assigned[f].length));
        }
        log.info("run {}: {} folds of {} rows for cross-validation", runId, k, pool.length);
        return out;
    }
}
