package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedSnapshotsTest {
    static final Table A = new Table(List.of("x"), List.<String[]>of(new String[] {"1"}));
    static final Table B = new Table(List.of("x"), List.<String[]>of(new String[] {"2"}));
    static final ArtifactRef REF_A = new ArtifactRef("b", "datasets/d/aaa/data.csv", "aaa", 10);
    static final ArtifactRef REF_B = new ArtifactRef("b", "datasets/d/bbb/data.csv", "bbb", 10);

    @Test
    void aTableIsFoundOnlyByItsOwnKeyAndSha256() {
        ParsedSnapshots kept = new ParsedSnapshots(100);
        kept.keep(REF_A, A, 10);
        assertSame(A, kept.get(REF_A));
        assertNull(kept.get(new ArtifactRef("b", REF_A.key(), "other", 10)), "another sha256 under the same key");
        assertNull(kept.get(new ArtifactRef("b", "datasets/e/aaa/data.csv", "aaa", 10)), "the same sha256 under another key");
        assertNull(kept.get(new ArtifactRef("c", REF_A.key(), "aaa", 10)), "another bucket");
        kept.forget(REF_A);
        assertNull(kept.get(REF_A));
    }

    @Test
    void theOldestGoFirstPastTheBudgetAndATableOverItIsNotKept() {
        ParsedSnapshots kept = new ParsedSnapshots(100);
        kept.keep(REF_A, A, 60);
        kept.keep(REF_B, B, 50);
        assertNull(kept.get(REF_A), "A made room for B");
        assertSame(B, kept.get(REF_B));
        kept.keep(REF_A, A, 101);
        assertNull(kept.get(REF_A), "larger than the whole budget");
        assertEquals(1, kept.size());
        kept.keep(REF_B, A, 50);
        assertSame(A, kept.get(REF_B), "kept again: the newer table");
        assertEquals(1, kept.size());
    }

    @Test
    void snapshotsPackingAtOnceShareTheBudgetWithTheKeptTables() {
        ParsedSnapshots kept = new ParsedSnapshots(100);
        kept.keep(REF_A, A, 30);
        long first = kept.reserve();
        assertEquals(70, first, "the budget less the kept table, which leaves half of it");
        assertSame(A, kept.get(REF_A));
        long second = kept.reserve();
        assertEquals(30, second, "a second snapshot at the same time: the kept table made room");
        assertNull(kept.get(REF_A));
        assertEquals(0, kept.reserve(), "nothing left for a third");
        kept.release(first);
        kept.release(second);
        kept.keep(REF_A, A, 30);
        kept.keep(REF_B, B, 40);
        assertEquals(60, kept.reserve(), "the oldest table made room until half the budget was free");
        assertNull(kept.get(REF_A));
        assertSame(B, kept.get(REF_B));
    }

    @Test
    void keepingAPackedTableEndsItsReservationAndNeverEvictsIt() {
        ParsedSnapshots kept = new ParsedSnapshots(100);
        kept.keep(REF_A, A, 40);
        long granted = kept.reserve();
        assertEquals(60, granted);
        kept.keep(REF_B, B, 70, granted);
        assertNull(kept.get(REF_A), "A made room for B");
        assertSame(B, kept.get(REF_B));
        long next = kept.reserve();
        assertEquals(100, next, "the reservation ended with the keep; B, over half, made room for the next snapshot");
        kept.keep(REF_A, A, 100, 0);
        assertSame(A, kept.get(REF_A), "the table just kept stays while others pack");
    }

    @Test
    void anEntryExpires() throws InterruptedException {
        ParsedSnapshots kept = new ParsedSnapshots(100, 1_000_000L);
        kept.keep(REF_A, A, 10);
        Thread.sleep(5);
        assertNull(kept.get(REF_A));
        assertEquals(0, kept.size());
    }
}
