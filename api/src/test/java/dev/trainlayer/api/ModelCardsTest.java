package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Model cards become HTML for the dashboard without letting a card's text script the page. */
class ModelCardsTest {
    @Test
    void tablesRenderAndRawHtmlIsEscaped() {
        String html = ModelCards.html("# m v1\n\n| metric | value |\n|---|---|\n| auc | 0.99 |\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n");
        assertTrue(html.contains("<table>") && html.contains("<td>auc</td>"), html);
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    @Test
    void linksKeepOnlyWebAddresses() {
        for (String bad : new String[] {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "mailto:a@b.c", "vbscript:x"}) {
            assertEquals("", ModelCards.web(bad), bad);
            assertFalse(ModelCards.html("[x](" + bad.strip() + ")").contains(bad.strip()), bad);
        }
        assertEquals("https://example.org/a", ModelCards.web("https://example.org/a"));
        assertEquals("/api/v1/models/m", ModelCards.web("/api/v1/models/m"));
        assertEquals("card.md#x", ModelCards.web("card.md#x"));
    }
}
