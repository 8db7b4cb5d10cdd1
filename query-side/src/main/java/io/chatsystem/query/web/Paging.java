package io.chatsystem.query.web;

import io.chatsystem.api.common.PageSpec;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Page sizes of list endpoints: a bounded default, and a cap so no request can ask for everything. */
@ConfigurationProperties("chat.paging")
public record Paging(@DefaultValue("50") int defaultSize, @DefaultValue("500") int maxSize) {

    public PageSpec page(Integer page, Integer size) {
        return page(page, size, defaultSize, maxSize);
    }

    /** A page of a list with bounds of its own. */
    public static PageSpec page(Integer page, Integer size, int defaultSize, int maxSize) {
        int p = page == null ? 1 : page;
        int s = size == null ? defaultSize : size;
        if (p < 1) {
            throw new BadRequestException("page must be 1 or more");
        }
        if (s < 1 || s > maxSize) {
            throw new BadRequestException("size must be between 1 and " + maxSize);
        }
        return new PageSpec(p, s);
    }
}
