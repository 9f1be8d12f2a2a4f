package org.ipsmgw.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ipsmgw.policy.StrictDuration;

/**
 * The keys under {@code ipsmgw.} the node knows: those of the packaged defaults (conf/*.conf), so
 * a key added there is known at once. An operator's key that is not one of them is a typo that
 * would otherwise be ignored in silence; it stops the start, naming the nearest known key.
 */
final class KnownKeys {
  /**
   * Documented open maps: a new entry may be added under them (a keyword language), as long as
   * its own keys are those of an existing entry (accept, decline, stop).
   */
  private static final List<String> OPEN_MAPS = List.of("ipsmgw.policy.keywords");

  private final Set<String> leaves;

  /**
   * @param packaged the packaged defaults, unresolved
   * @param derived keys the node sets itself (they are documented, so an operator's copy is no typo)
   */
  KnownKeys(Config packaged, Collection<String> derived) {
    this.leaves = new TreeSet<>(ipsmgwLeaves(packaged).keySet());
    this.leaves.addAll(derived);
  }

  Set<String> leaves() {
    return leaves;
  }

  /** The leaves under {@code ipsmgw.} of {@code layer} with their values, in the layer's order. */
  static Map<String, ConfigValue> ipsmgwLeaves(Config layer) {
    Map<String, ConfigValue> found = new LinkedHashMap<>();
    ConfigValue root = layer.root().get("ipsmgw");
    if (root instanceof ConfigObject o) {
      leaves(o, "ipsmgw", found);
    } else if (root != null) {
      found.put("ipsmgw", root);
    }
    return found;
  }

  /** The packaged keys whose default is a duration string with a unit (e.g. "120s"). */
  static List<String> durationKeys(Config packagedResolved) {
    return ipsmgwLeaves(packagedResolved).keySet().stream()
        .filter(key -> StrictDuration.isDuration(packagedResolved, key)).toList();
  }

  /**
   * @throws StartupException naming the first unknown key of {@code layer}, its nearest known
   *     key and where it was set
   */
  void check(Config layer) {
    for (Map.Entry<String, ConfigValue> e : ipsmgwLeaves(layer).entrySet()) {
      String key = e.getKey();
      if (!isKnown(key)) {
        throw new StartupException("configuration error: unknown key " + key + " (did you mean "
            + nearest(key) + "?) in " + e.getValue().origin().description());
      }
    }
  }

  boolean isKnown(String key) {
    if (leaves.contains(key) || isPrefix(key)) {
      return true;
    }
    for (String map : OPEN_MAPS) {
      List<String> path = ConfigUtil.splitPath(key);
      List<String> prefix = ConfigUtil.splitPath(map);
      if (path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
        List<String> rest = path.subList(prefix.size() + 1, path.size());
        for (String leaf : leaves) {
          List<String> known = ConfigUtil.splitPath(leaf);
          if (known.size() > prefix.size() && known.subList(0, prefix.size()).equals(prefix)) {
            List<String> knownRest = known.subList(prefix.size() + 1, known.size());
            if (knownRest.equals(rest) || startsWith(knownRest, rest)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** A key set to a plain value where the defaults have a section: its type error says more. */
  private boolean isPrefix(String key) {
    return leaves.stream().anyMatch(l -> l.startsWith(key + "."));
  }

  private static boolean startsWith(List<String> longer, List<String> prefix) {
    return longer.size() > prefix.size() && longer.subList(0, prefix.size()).equals(prefix);
  }

  String nearest(String key) {
    return nearest(key, leaves);
  }

  /** Nearest of {@code candidates} to {@code name} by edit distance. */
  static String nearest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character each. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  private static void leaves(ConfigObject object, String prefix, Map<String, ConfigValue> out) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey())
          : prefix + "." + ConfigUtil.joinPath(e.getKey());
      if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
        leaves(child, path, out);
      } else {
        out.put(path, e.getValue());
      }
    }
  }
}
