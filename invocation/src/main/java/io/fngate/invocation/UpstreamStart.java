package io.fngate.invocation;

/**
 * The request leg's result: the container's response head, on the connection it came on, with the request body
 * pump when the body is still streaming (null when it was sent with the head, or there was none).
 */
record UpstreamStart(ResponseHead head, UpstreamConnection connection, RequestBodyPump pump) {
}
