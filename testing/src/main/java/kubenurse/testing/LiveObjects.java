package kubenurse.testing;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Counts the live objects of a class in this JVM from a class histogram, the same one {@code jcmd <pid>
 * GC.class_histogram} prints: it runs a full collection first, so what it counts is reachable. Needs the
 * jdk.management module in the test JVM (--add-modules jdk.management).
 */
public final class LiveObjects {

    private LiveObjects() {
    }

    /** Live instances of the class of exactly this name, after a full collection. */
    public static long count(String className) {
        try {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return count(histogram, className);
        } catch (JMException failed) {
            throw new IllegalStateException("class histogram: " + failed, failed);
        }
    }

    /** The instance count of a class in a printed class histogram (jcmd's or the MBean's), 0 when absent. */
    public static long count(String histogram, String className) {
        // " 30:   167   29392  jdk.internal.net.http.HttpClientImpl (java.net.http@25.0.3)"
        Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)")
                .matcher(histogram);
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }
}
