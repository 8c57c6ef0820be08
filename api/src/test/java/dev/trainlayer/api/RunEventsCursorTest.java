package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEventsCursorTest {
    @Test
    void aCursorSurvivesItsOwnFormat() {
        Map<String, RunEvents.Cursor.Seen> trials = new LinkedHashMap<>();
        trials.put("003-mlp/fold-1", new RunEvents.Cursor.Seen(17, "d"));
        trials.put("004-xgboost", new RunEvents.Cursor.Seen(0, ""));
        RunEvents.Cursor cursor = new RunEvents.Cursor(12, trials);
        assertEquals("12;003-mlp/fold-1=17,d;004-xgboost=0,", cursor.format());
        assertEquals(cursor, RunEvents.Cursor.parse(cursor.format()));
        assertEquals(RunEvents.Cursor.START, RunEvents.Cursor.parse(null));
        assertEquals(RunEvents.Cursor.START, RunEvents.Cursor.parse(" "));
    }

    @Test
    void anIdTheStreamNeverSentIsABadRequestNamingTheHeader() {
        for (String bad : new String[] {"x", "-1", "3;a b=1,", "3;a=1", "3;a=x,", "3;a=1,D"}) {
            ApiException e = assertThrows(ApiException.class, () -> RunEvents.Cursor.parse(bad), bad);
            assertEquals(400, e.status().getCode(), bad);
            assertEquals(true, e.getMessage().startsWith("Last-Event-ID: "), e.getMessage());
        }
    }
}
