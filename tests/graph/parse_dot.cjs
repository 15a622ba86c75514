// Parse a Graphviz DOT graph (stdin) with the dotparser package: exit 1 with its message when it
// is refused; print the types of the graphs it read.
const parse = require("dotparser");
const text = require("fs").readFileSync(0, "utf8");
try {
  console.log(JSON.stringify(parse(text).map((graph) => graph.type)));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
