package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void readsQuotedFieldsAndCrlf() throws Exception {
        Table t = Table.read(new StringReader("\uFEFFname,note\r\n\"Smith, J\",\"said \"\"hi\"\"\"\r\nLee,\"two\nlines\"\r\n"));
        assertEquals(2, t.size());
        assertEquals("name", t.header().get(0));
        assertArrayEquals(new String[] {"Smith, J", "said \"hi\""}, t.rows().get(0));
        assertEquals("two\nlines", t.rows().get(1)[1]);
        assertEquals(t.toCsv(), Table.read(new StringReader(t.toCsv())).toCsv(), "writing round-trips");
    }

    @Test
    void raggedRowsAndEmptyFilesAreErrorsThatSayWhere() {
        assertTrue(assertThrows(Table.CsvFormatException.class, () -> Table.read(new StringReader("a,b\n1,2\n3\n")))
                .getMessage().contains("line 3 has 1 fields"));
        assertThrows(Table.CsvFormatException.class, () -> Table.read(new StringReader("")));
        assertTrue(assertThrows(Table.CsvFormatException.class, () -> Table.read(new StringReader("a,a\n1,2\n")))
                .getMessage().contains("twice"));
    }

    @Test
    void missingSpellings() {
        for (String v : new String[] {"", " ", "NA", "n/a", "NaN", "null", "None", "?"}) {
            assertTrue(Table.isMissing(v), v);
        }
        assertTrue(Double.isNaN(Table.parseNumber("NA")));
        assertThrows(NumberFormatException.class, () -> Table.parseNumber("Infinity"));
    }
}
