package io.fngate.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventBoundaryTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "data: a|false",
            "data: a\\n|false",
            "data: a\\n\\n|true",
            "data: a\\r\\n\\r\\n|true",
            "data: a\\r\\n\\r|false",
            "data: a\\r\\r|false",
            "data: a\\r\\rx|false",
            "data: a\\n\\ndata: b\\n|false",
            ": comment\\n\\n|true",
            "id: 1\\nevent: x\\ndata: 1\\ndata: 2\\n\\n|true",
    })
    void knowsWhenACommentCannotSplitAnEvent(String escaped, boolean between) {
        String text = escaped.replace("\\n", "\n").replace("\\r", "\r");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        EventBoundary whole = new EventBoundary();
        whole.accept(bytes, 0, bytes.length);
        assertEquals(between, whole.betweenEvents(), "whole");
        EventBoundary byteWise = new EventBoundary();
        for (int i = 0; i < bytes.length; i++) {
            byteWise.accept(bytes, i, 1);
        }
        assertEquals(between, byteWise.betweenEvents(), "byte by byte");
    }
}
