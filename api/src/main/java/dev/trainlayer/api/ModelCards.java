package dev.trainlayer.api;

import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * Model cards (Markdown with tables) as HTML for the dashboard: raw HTML in a card is escaped, and links and images
 * keep only http(s) and relative addresses (anything else — javascript:, data:, mailto: — becomes empty).
 */
final class ModelCards {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final UrlSanitizer WEB_ONLY = new UrlSanitizer() {
        @Override
        public String sanitizeLinkUrl(String url) {
            return web(url);
        }

        @Override
        public String sanitizeImageUrl(String url) {
            return web(url);
        }
    };
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).urlSanitizer(WEB_ONLY).build();

    private ModelCards() {}

    static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }

    static String web(String url) {
        String u = url == null ? "" : url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        int slash = lower.indexOf('/');
        boolean hasScheme = colon >= 0 && (slash < 0 || colon < slash);
        return !hasScheme || lower.startsWith("http:") || lower.startsWith("https:") ? u : "";
    }
}
