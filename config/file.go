package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// fileValues is what the YAML file sets: field values by YAML path, and the
// flattened per-group settings.
type fileValues struct {
	values   map[string]string
	defaults map[string]string
	groups   map[string]map[string]string
}

// readFile reads the YAML file at path. Every problem comes back as one line.
func readFile(path string) (fileValues, []string) {
	fv := fileValues{values: map[string]string{}, defaults: map[string]string{}, groups: map[string]map[string]string{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return fv, []string{fmt.Sprintf("QUNBOT_CONFIG：读不到配置文件 %s（%s）", path, fileTrouble(err))}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fv, []string{fmt.Sprintf("QUNBOT_CONFIG：%s 不是有效的 YAML（%s）", path, yamlTrouble(err))}
	}
	if len(doc.Content) == 0 {
		return fv, nil // an empty file sets nothing
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return fv, []string{fmt.Sprintf("QUNBOT_CONFIG：%s 的顶层应为「键: 值」的映射", path)}
	}
	var problems []string
	report := func(key, msg string) {
		problems = append(problems, inFile(path, key, msg))
	}
	fv.walk("", root, report)
	return fv, problems
}

// knownPaths holds every YAML path a field reads and every map above one.
var knownPaths = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range fields {
		parts := strings.Split(f.yaml, ".")
		for i := range parts {
			m[strings.Join(parts[:i+1], ".")] = true
		}
	}
	return m
}()

func isField(path string) bool {
	for _, f := range fields {
		if f.yaml == path {
			return true
		}
	}
	return false
}

func (fv *fileValues) walk(prefix string, m *yaml.Node, report func(key, msg string)) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		path := prefix + m.Content[i].Value
		v := resolve(m.Content[i+1])
		switch {
		case path == "defaults":
			flatten("", v, fv.defaults, report, path)
		case path == "groups":
			fv.readGroups(v, report)
		case isField(path):
			text, err := scalarText(v)
			if err != nil {
				report(path, err.Error())
				continue
			}
			fv.values[path] = text
		case knownPaths[path] && v.Kind == yaml.MappingNode:
			fv.walk(path+".", v, report)
		case knownPaths[path]:
			report(path, "应为「键: 值」的映射")
		default:
			report(path, "未知的配置项")
		}
	}
}

func (fv *fileValues) readGroups(n *yaml.Node, report func(key, msg string)) {
	if n.Kind != yaml.MappingNode {
		report("groups", "应为「群 chatid: 设置」的映射")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		chatID := n.Content[i].Value
		settings := map[string]string{}
		flatten("", resolve(n.Content[i+1]), settings, report, "groups."+chatID)
		fv.groups[chatID] = settings
	}
}

// flatten turns nested maps into dotted keys: {checkin: {points: 5}} becomes
// "checkin.points" = "5". where names the node in problems.
func flatten(prefix string, n *yaml.Node, out map[string]string, report func(key, msg string), where string) {
	if n.Kind != yaml.MappingNode {
		if n.Tag != "!!null" {
			report(where, "应为「设置项: 值」的映射")
		}
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := prefix + n.Content[i].Value
		v := resolve(n.Content[i+1])
		if v.Kind == yaml.MappingNode {
			flatten(key+".", v, out, report, where)
			continue
		}
		text, err := scalarText(v)
		if err != nil {
			report(where+"."+key, err.Error())
			continue
		}
		out[key] = text
	}
}

// scalarText is a scalar's text, or a list of scalars joined by ", ".
func scalarText(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		items := make([]string, 0, len(n.Content))
		for _, it := range n.Content {
			it = resolve(it)
			if it.Kind != yaml.ScalarNode {
				return "", errors.New("列表里只能是普通的值")
			}
			items = append(items, it.Value)
		}
		return strings.Join(items, ", "), nil
	}
	return "", errors.New("应为一个值或一组值")
}

// resolve follows YAML aliases (*name) to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// yamlLine finds the line number in a YAML parser's error.
var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlTrouble says where the YAML is broken; the parser's own words are
// English, so only the line is kept.
func yamlTrouble(err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return "第 " + m[1] + " 行有语法错误"
	}
	return "语法错误"
}
