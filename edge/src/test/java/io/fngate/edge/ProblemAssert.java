package io.fngate.edge;

import java.io.StringReader;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that a response is one of fngate's problem answers, parsing the body with a real JSON parser. */
final class ProblemAssert {
    private ProblemAssert() {
    }

    /**
     * @param head whether the request was HEAD (then there is no body to check)
     * @return the parsed body (empty object for HEAD)
     */
    static JsonObject assertProblem(RawClient.Response r, int status, String label, boolean head) {
        String context = r.statusLine() + " " + r.headers() + " " + r.text();
        assertEquals(status, r.status(), context);
        assertEquals(ProblemDetails.MEDIA_TYPE, r.header("content-type").orElse(""), context);
        assertEquals("no-store", r.header("cache-control").orElse(""), context);
        assertEquals("errored", r.header("nvcf-status").orElse(""), context);
        String id = r.header("nvcf-reqid").orElseThrow(() -> new AssertionError("no nvcf-reqid: " + context));
        assertEquals(4, UUID.fromString(id).version(), "nvcf-reqid must be a UUIDv4: " + id);
        if (head) {
            assertEquals(0, r.body().length, context);
            return Json.createObjectBuilder().build();
        }
        JsonObject body = parse(r.text());
        assertEquals(ProblemDetails.TYPE_PREFIX + label, body.getString("type"), context);
        assertFalse(body.getString("title").isBlank(), context);
        assertEquals(status, body.getInt("status"), context);
        assertFalse(body.getString("detail").isBlank(), context);
        assertEquals("urn:uuid:" + id, body.getString("instance"), context);
        assertEquals(id, body.getString("requestId"), context);
        assertEquals(6, body.size(), "exactly the six problem fields: " + context);
        return body;
    }

    static JsonObject assertProblem(RawClient.Response r, int status, String label) {
        return assertProblem(r, status, label, false);
    }

    static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            assertTrue(o != null);
            return o;
        }
    }
}
