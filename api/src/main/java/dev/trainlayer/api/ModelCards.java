package dev.trainlayer.api;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** Model cards (Markdown with tables) as HTML for the dashboard: raw HTML in a card is escaped, links only http(s). */
final class ModelCards {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).build();

    private ModelCards() {}

    static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
