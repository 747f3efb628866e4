package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWarehouseRefusalInOneLanguage: the keeper's page shows the
// ledger's refusal of an entry (a quantity that does not count its
// serials) from its message, in the Chinese console and again in the
// English one: no English words in the Chinese and no Chinese in the
// English outside the values sent (span.arg), the quantity sent among
// them.
func TestWarehouseRefusalInOneLanguage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "keeper-lang-test-password"
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
		fmt.Sprintf(`{"name":"keeper2","role":"keeper","warehouses":["WH-01"],"password":%q}`, pw), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	loginAs(t, ctx, p.base+"/ui/warehouse.html?id=WH-01", "keeper2", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.warehousePage && window.parktwin.warehousePage.ready`, 30*time.Second)
	fields, _ := json.Marshal(map[string]string{"op": "receive", "type": "scba", "serials": "WLANG-1,WLANG-2", "quantity": "3", "from": "供应商"})
	for _, lang := range []string{"zh-CN", "en"} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`import("/ui/i18n.js").then((m) => (m.setLang(%q), true))`, lang),
			chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf(`document.documentElement.lang === %q`, lang), 5*time.Second)
		eval[bool](t, ctx, fmt.Sprintf(`(() => {
			delete document.querySelector("#entry-result").dataset.result;
			const f = document.querySelector("#entry-form");
			f.reset();
			for (const [k, v] of Object.entries(%s)) f.elements[k].value = v;
			f.querySelector("button[type=submit]").click();
			return true; })()`, fields))
		waitJS(t, ctx, `document.querySelector("#entry-result").dataset.result !== undefined`, 20*time.Second)
		res := eval[map[string]string](t, ctx, `(() => {
			const box = document.querySelector("#entry-result");
			const words = [];
			const w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) if (!n.parentElement.closest(".arg")) words.push(n.textContent);
			return {result: box.dataset.result, code: box.dataset.code || "", words: words.join(""),
				args: [...box.querySelectorAll(".arg")].map((a) => a.textContent).join("|")};
		})()`)
		if res["result"] != "error" || res["code"] != "invalid" {
			t.Fatalf("%s: a quantity not its serials: %v", lang, res)
		}
		if bad := notInLang(res["words"], lang); len(bad) > 0 {
			t.Errorf("%s: the refusal %q is not in its language: %v", lang, res["words"], bad)
		}
		want := map[string]string{"zh-CN": "编号", "en": "serials"}[lang]
		if !strings.Contains(res["words"], want) || !strings.Contains("|"+res["args"]+"|", "|3|") {
			t.Errorf("%s: the refusal %q (values %q) does not say %q with the quantity sent", lang, res["words"], res["args"], want)
		}
		t.Logf("%s: %s [%s]", lang, res["words"], res["args"])
	}
	noPageErrors(t, errs)
}
