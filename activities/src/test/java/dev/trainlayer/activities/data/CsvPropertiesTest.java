package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes a dataset holds, the CSV reader answers a table or a {@link Table.CsvFormatException} (which the
 * snapshot turns into DATA_INVALID naming the line), and a table's cells stay within its header.
 */
class CsvPropertiesTest {
    static void read(byte[] bytes) {
        try {
            Table table = Table.read(new ByteArrayInputStream(bytes));
            int width = table.header().size();
            for (String[] row : table.rows()) {
                if (row.length != width) {
                    throw new AssertionError("a row has " + row.length + " cells, the header " + width);
                }
            }
        } catch (Table.CsvFormatException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a reason");
            }
        } catch (IOException e) {
            throw new AssertionError("an I/O failure from bytes in memory: " + e, e);
        }
    }

    @Property(tries = 10_000, seed = "20261203")
    void csvLikeTextIsATableOrARefusal(@ForAll("csvLike") String text) {
        read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 10_000, seed = "20261203")
    void arbitraryBytesAreATableOrARefusal(@ForAll("bytes") byte[] bytes) {
        read(bytes);
    }

    @Provide
    Arbitrary<String> csvLike() {
        return Arbitraries.strings().withChars("ab1.,\"\n\r \t\uFEFF;é").ofMaxLength(300);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }
}
